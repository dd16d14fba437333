package dev.crcexporter.config;

import dev.crcexporter.config.RawConfig.RawAccount;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The single account of the environment: a systec account from {@code CRC_API_*}, or a Zoom account from
 * {@code ZOOM_*}; {@code CRC_ACCOUNT}, {@code CRC_CAPACITY}, {@code CRC_TIMEZONE}, {@code CRC_API_URL} and
 * {@code CRC_POLL_INTERVAL} go with either. Messages name the variable.
 */
final class EnvironmentConfig {
    static final List<String> SYSTEC_VARIABLES = List.of("CRC_API_KEY", "CRC_API_SECRET", "CRC_API_SECRET_FILE");
    static final List<String> ZOOM_VARIABLES = List.of("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET",
            "ZOOM_CLIENT_SECRET_FILE");

    /** Environment variable behind each key. */
    private static final Map<String, String> ENV_NAMES = Map.ofEntries(
            Map.entry("name", "CRC_ACCOUNT"),
            Map.entry("api_key", "CRC_API_KEY"),
            Map.entry("api_secret", "CRC_API_SECRET"),
            Map.entry("api_secret_file", "CRC_API_SECRET_FILE"),
            Map.entry("account_id", "ZOOM_ACCOUNT_ID"),
            Map.entry("client_id", "ZOOM_CLIENT_ID"),
            Map.entry("client_secret", "ZOOM_CLIENT_SECRET"),
            Map.entry("client_secret_file", "ZOOM_CLIENT_SECRET_FILE"),
            Map.entry("capacity", "CRC_CAPACITY"),
            Map.entry("api_url", "CRC_API_URL"),
            Map.entry("poll_interval", "CRC_POLL_INTERVAL"),
            Map.entry("timezone", "CRC_TIMEZONE"));

    private EnvironmentConfig() {}

    /** The account of the environment, or {@code null} when neither family of variables is set. */
    static ExporterConfig read(Map<String, String> env) throws ConfigException {
        List<String> systec = set(env, SYSTEC_VARIABLES);
        List<String> zoom = set(env, ZOOM_VARIABLES);
        if (systec.isEmpty() && zoom.isEmpty()) {
            return null;
        }
        if (!systec.isEmpty() && !zoom.isEmpty()) {
            throw new ConfigException("both " + String.join(", ", systec) + " (a systec account) and "
                    + String.join(", ", zoom) + " (a Zoom account) are set; the environment configures one account:"
                    + " unset one family, or use --config.file for several accounts");
        }
        Integer capacity = null;
        String capacityText = env.get("CRC_CAPACITY");
        if (!ConfigValues.blank(capacityText)) {
            try {
                capacity = Integer.valueOf(capacityText.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("CRC_CAPACITY must be an integer (got \"" + capacityText + "\")");
            }
        }
        RawAccount account = new RawAccount(
                ConfigValues.blank(env.get("CRC_ACCOUNT")) ? "default" : env.get("CRC_ACCOUNT"),
                zoom.isEmpty() ? null : Source.ZOOM.label(),
                env.get("CRC_API_KEY"), env.get("CRC_API_SECRET"), env.get("CRC_API_SECRET_FILE"),
                env.get("ZOOM_ACCOUNT_ID"), env.get("ZOOM_CLIENT_ID"), env.get("ZOOM_CLIENT_SECRET"),
                env.get("ZOOM_CLIENT_SECRET_FILE"),
                capacity, null);
        RawConfig raw = new RawConfig(env.get("CRC_API_URL"), null, env.get("CRC_TIMEZONE"),
                env.get("CRC_POLL_INTERVAL"), null, null, null, null, List.of(account));
        UnaryOperator<String> envName = key -> ENV_NAMES.getOrDefault(key, key);
        return ConfigLoader.validate(raw, envName, (index, name) -> envName);
    }

    /** The variables of either family set in {@code env}, by name in alphabetical order: never their values. */
    static List<String> variablesSet(Map<String, String> env) {
        return set(env, ENV_NAMES.values().stream().sorted().toList());
    }

    private static List<String> set(Map<String, String> env, List<String> names) {
        return names.stream().filter(name -> !ConfigValues.blank(env.get(name))).toList();
    }
}
