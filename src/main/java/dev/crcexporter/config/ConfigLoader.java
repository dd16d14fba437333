package dev.crcexporter.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crcexporter.config.RawConfig.RawRetry;
import dev.crcexporter.config.RawConfig.RawZoom;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration from a YAML file or from the environment and validates it whole. Every problem is
 * reported as a {@link ConfigException} whose message names the field ({@code accounts[hq].capacity}, or the
 * environment variable) and the bad value, never a secret. The accounts are {@link AccountValidation}'s part, the
 * environment {@link EnvironmentConfig}'s.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final int MAX_CONCURRENCY = 256;
    private static final int MAX_ATTEMPTS = 10;

    /** Built at the first YAML file read: a configuration from the environment never loads the YAML parser. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = StrictYaml.mapper();
    }

    private ConfigLoader() {}

    /** Loads and validates a YAML configuration file. */
    public static ExporterConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = BoundedFiles.readUtf8(file, BoundedFiles.MAX_CONFIG_BYTES);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " " + BoundedFiles.reason(e));
        }
        return parse(text, file.toString());
    }

    /**
     * The configuration of the command line: the YAML file when one is given, else the environment's account;
     * a {@link ConfigException} saying what to do when there is neither.
     */
    public static ExporterConfig fromFileOrEnvironment(Path file, Map<String, String> env) throws ConfigException {
        if (file != null) {
            List<String> ignored = EnvironmentConfig.variablesSet(env);
            if (!ignored.isEmpty()) {
                LOG.atWarn().setMessage("these environment variables are ignored because --config.file is given")
                        .addKeyValue("variables", String.join(",", ignored))
                        .addKeyValue("config_file", file).log();
            }
            return load(file);
        }
        ExporterConfig fromEnv = fromEnvironment(env);
        if (fromEnv == null) {
            throw new ConfigException("no configuration: pass --config.file=FILE, set CRC_API_KEY and CRC_API_SECRET"
                    + " (or CRC_API_SECRET_FILE), or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (or"
                    + " ZOOM_CLIENT_SECRET_FILE), or try --demo");
        }
        return fromEnv;
    }

    /** Parses and validates YAML text; {@code source} names it in messages. */
    public static ExporterConfig parse(String yaml, String source) throws ConfigException {
        RawConfig raw = null;
        try {
            raw = yaml.isBlank() ? null : Yaml.MAPPER.readValue(yaml, RawConfig.class);
        } catch (JacksonException e) {
            throw new ConfigException(StrictYaml.describe(e, source, (list, index) -> accountName(yaml, list, index)));
        }
        if (raw == null) {
            throw new ConfigException(source + ": the file is empty; it needs at least an accounts list");
        }
        return validate(raw, UnaryOperator.identity(), ConfigLoader::yamlAccountPrefix);
    }

    /**
     * The name of {@code accounts[index]}, for messages about a key of that account that did not even parse
     * ({@code accounts[hq].api_secert}), as validation names the others; {@code null} when it has no usable name.
     */
    private static String accountName(String yaml, String list, int index) {
        if (!list.equals("accounts")) {
            return null;
        }
        try {
            String name = Yaml.MAPPER.readTree(yaml).path("accounts").path(index).path("name").textValue();
            return AccountValidation.validName(name) ? name : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * A single-account configuration from {@code CRC_API_*} or {@code ZOOM_*} variables (with {@code CRC_ACCOUNT},
     * {@code CRC_CAPACITY}, {@code CRC_TIMEZONE}...), or {@code null} when neither family is set.
     */
    public static ExporterConfig fromEnvironment(Map<String, String> env) throws ConfigException {
        return EnvironmentConfig.read(env);
    }

    private static UnaryOperator<String> yamlAccountPrefix(int index, String validName) {
        String where = validName != null ? "accounts[" + validName + "]" : "accounts[" + index + "]";
        return key -> where + "." + key;
    }

    static ExporterConfig validate(RawConfig raw, UnaryOperator<String> field,
            AccountValidation.AccountNaming accountNaming) throws ConfigException {
        URI apiUrl = ConfigValues.url(raw.apiUrl(), field.apply("api_url"), ExporterConfig.DEFAULT_API_URL);
        RequestMethod method = ConfigValues.method(raw.method(), field.apply("method"));
        ZoneId zone = raw.timezone() == null ? ExporterConfig.DEFAULT_TIMEZONE
                : ConfigValues.zone(raw.timezone(), field.apply("timezone"));
        Duration pollInterval = ConfigValues.positiveDuration(raw.pollInterval(), field.apply("poll_interval"),
                ExporterConfig.DEFAULT_POLL_INTERVAL);
        Duration timeout = ConfigValues.positiveDuration(raw.timeout(), field.apply("timeout"),
                ExporterConfig.DEFAULT_TIMEOUT);
        if (timeout.compareTo(pollInterval) >= 0) {
            throw new ConfigException(field.apply("timeout") + " (" + Durations.format(timeout)
                    + ") must be shorter than " + field.apply("poll_interval") + " (" + Durations.format(pollInterval)
                    + ")");
        }
        int concurrency = raw.concurrency() == null ? ExporterConfig.DEFAULT_CONCURRENCY : raw.concurrency();
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new ConfigException(field.apply("concurrency") + " must be between 1 and " + MAX_CONCURRENCY
                    + " (got " + concurrency + ")");
        }
        RetryConfig retry = retry(raw.retry());
        ZoomConfig zoom = zoom(raw.zoom());
        List<AccountConfig> accounts = AccountValidation.accounts(raw.accounts(), field.apply("accounts"),
                accountNaming);
        return new ExporterConfig(apiUrl, method, zone, pollInterval, timeout, concurrency, retry, accounts, zoom);
    }

    private static ZoomConfig zoom(RawZoom raw) throws ConfigException {
        if (raw == null) {
            return ZoomConfig.DEFAULT;
        }
        return new ZoomConfig(ConfigValues.url(raw.apiUrl(), "zoom.api_url", ZoomConfig.DEFAULT_API_URL),
                ConfigValues.url(raw.oauthUrl(), "zoom.oauth_url", ZoomConfig.DEFAULT_OAUTH_URL));
    }

    private static RetryConfig retry(RawRetry raw) throws ConfigException {
        if (raw == null) {
            return RetryConfig.DEFAULT;
        }
        RetryConfig defaults = RetryConfig.DEFAULT;
        int maxAttempts = raw.maxAttempts() == null ? defaults.maxAttempts() : raw.maxAttempts();
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new ConfigException("retry.max_attempts must be between 1 and " + MAX_ATTEMPTS + " (got "
                    + maxAttempts + ")");
        }
        Duration initial = ConfigValues.positiveDuration(raw.initialBackoff(), "retry.initial_backoff",
                defaults.initialBackoff());
        Duration max = ConfigValues.positiveDuration(raw.maxBackoff(), "retry.max_backoff", defaults.maxBackoff());
        if (max.compareTo(initial) < 0) {
            throw new ConfigException("retry.max_backoff (" + Durations.format(max)
                    + ") must not be shorter than retry.initial_backoff (" + Durations.format(initial) + ")");
        }
        return new RetryConfig(maxAttempts, initial, max);
    }
}
