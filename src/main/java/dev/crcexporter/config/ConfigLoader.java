package dev.crcexporter.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads the configuration from a YAML file or from {@code CRC_*} environment variables and validates it
 * whole. Every problem is reported as a {@link ConfigException} whose message names the field
 * ({@code accounts[hq].capacity}, or the environment variable) and the bad value, never a secret.
 */
public final class ConfigLoader {
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#]*@");
    private static final int MAX_CONCURRENCY = 256;
    private static final int MAX_ATTEMPTS = 10;

    /** Environment variable behind each key, for the single-account configuration. */
    private static final Map<String, String> ENV_NAMES = Map.of(
            "name", "CRC_ACCOUNT",
            "api_key", "CRC_API_KEY",
            "api_secret", "CRC_API_SECRET",
            "api_secret_file", "CRC_API_SECRET_FILE",
            "capacity", "CRC_CAPACITY",
            "api_url", "CRC_API_URL",
            "poll_interval", "CRC_POLL_INTERVAL",
            "timezone", "CRC_TIMEZONE");

    private static final ObjectMapper YAML = StrictYaml.mapper();

    private ConfigLoader() {}

    // The file's shape as written; every field optional here so that validation can name what is missing.
    record RawConfig(
            @JsonProperty("api_url") String apiUrl,
            @JsonProperty("method") String method,
            @JsonProperty("timezone") String timezone,
            @JsonProperty("poll_interval") String pollInterval,
            @JsonProperty("timeout") String timeout,
            @JsonProperty("concurrency") Integer concurrency,
            @JsonProperty("retry") RawRetry retry,
            @JsonProperty("accounts") List<RawAccount> accounts) {}

    record RawRetry(
            @JsonProperty("max_attempts") Integer maxAttempts,
            @JsonProperty("initial_backoff") String initialBackoff,
            @JsonProperty("max_backoff") String maxBackoff) {}

    record RawAccount(
            @JsonProperty("name") String name,
            @JsonProperty("api_key") String apiKey,
            @JsonProperty("api_secret") String apiSecret,
            @JsonProperty("api_secret_file") String apiSecretFile,
            @JsonProperty("capacity") Integer capacity) {}

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
     * The configuration of the command line: the YAML file when one is given, else the {@code CRC_*}
     * variables; a {@link ConfigException} saying what to do when there is neither.
     */
    public static ExporterConfig fromFileOrEnvironment(Path file, Map<String, String> env) throws ConfigException {
        if (file != null) {
            return load(file);
        }
        ExporterConfig fromEnv = fromEnvironment(env);
        if (fromEnv == null) {
            throw new ConfigException("no configuration: pass --config.file=FILE, set CRC_API_KEY and CRC_API_SECRET"
                    + " (or CRC_API_SECRET_FILE), or try --demo");
        }
        return fromEnv;
    }

    /** Parses and validates YAML text; {@code source} names it in messages. */
    public static ExporterConfig parse(String yaml, String source) throws ConfigException {
        RawConfig raw = null;
        try {
            raw = yaml.isBlank() ? null : YAML.readValue(yaml, RawConfig.class);
        } catch (JacksonException e) {
            throw new ConfigException(StrictYaml.describe(e, source));
        }
        if (raw == null) {
            throw new ConfigException(source + ": the file is empty; it needs at least an accounts list");
        }
        return validate(raw, UnaryOperator.identity(), ConfigLoader::yamlAccountPrefix);
    }

    /**
     * Builds a single-account configuration from {@code CRC_*} variables, or returns {@code null} when
     * neither {@code CRC_API_KEY} nor a secret variable is set.
     */
    public static ExporterConfig fromEnvironment(Map<String, String> env) throws ConfigException {
        if (blank(env.get("CRC_API_KEY")) && blank(env.get("CRC_API_SECRET")) && blank(env.get("CRC_API_SECRET_FILE"))) {
            return null;
        }
        Integer capacity = null;
        String capacityText = env.get("CRC_CAPACITY");
        if (!blank(capacityText)) {
            try {
                capacity = Integer.valueOf(capacityText.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("CRC_CAPACITY must be an integer (got \"" + capacityText + "\")");
            }
        }
        RawAccount account = new RawAccount(
                blank(env.get("CRC_ACCOUNT")) ? "default" : env.get("CRC_ACCOUNT"),
                env.get("CRC_API_KEY"),
                env.get("CRC_API_SECRET"),
                env.get("CRC_API_SECRET_FILE"),
                capacity);
        RawConfig raw = new RawConfig(env.get("CRC_API_URL"), null, env.get("CRC_TIMEZONE"),
                env.get("CRC_POLL_INTERVAL"), null, null, null, List.of(account));
        UnaryOperator<String> envName = key -> ENV_NAMES.getOrDefault(key, key);
        return validate(raw, envName, (index, name) -> envName);
    }

    private interface AccountNaming {
        UnaryOperator<String> fieldNames(int index, String validName);
    }

    private static UnaryOperator<String> yamlAccountPrefix(int index, String validName) {
        String where = validName != null ? "accounts[" + validName + "]" : "accounts[" + index + "]";
        return key -> where + "." + key;
    }

    private static ExporterConfig validate(RawConfig raw, UnaryOperator<String> field, AccountNaming accountNaming)
            throws ConfigException {
        URI apiUrl = apiUrl(raw.apiUrl(), field.apply("api_url"));
        RequestMethod method = method(raw.method(), field.apply("method"));
        ZoneId zone = zone(raw.timezone(), field.apply("timezone"));
        Duration pollInterval = positiveDuration(raw.pollInterval(), field.apply("poll_interval"),
                ExporterConfig.DEFAULT_POLL_INTERVAL);
        Duration timeout = positiveDuration(raw.timeout(), field.apply("timeout"), ExporterConfig.DEFAULT_TIMEOUT);
        if (timeout.compareTo(pollInterval) >= 0) {
            throw new ConfigException(field.apply("timeout") + " (" + Durations.format(timeout)
                    + ") must be shorter than " + field.apply("poll_interval") + " (" + Durations.format(pollInterval) + ")");
        }
        int concurrency = raw.concurrency() == null ? ExporterConfig.DEFAULT_CONCURRENCY : raw.concurrency();
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new ConfigException(field.apply("concurrency") + " must be between 1 and " + MAX_CONCURRENCY
                    + " (got " + concurrency + ")");
        }
        RetryConfig retry = retry(raw.retry());

        if (raw.accounts() == null || raw.accounts().isEmpty()) {
            throw new ConfigException(field.apply("accounts") + " must list at least one account");
        }
        List<AccountConfig> accounts = new ArrayList<>();
        Map<String, Integer> firstIndexOfName = new HashMap<>();
        for (int i = 0; i < raw.accounts().size(); i++) {
            RawAccount account = raw.accounts().get(i);
            if (account == null) {
                throw new ConfigException("accounts[" + i + "] is empty");
            }
            String name = account.name();
            boolean nameValid = name != null && ACCOUNT_NAME.matcher(name).matches();
            UnaryOperator<String> accountField = accountNaming.fieldNames(i, nameValid ? name : null);
            if (blank(name)) {
                throw new ConfigException(accountField.apply("name") + " is required");
            }
            if (!nameValid) {
                throw new ConfigException(accountField.apply("name") + " must match [a-zA-Z0-9_.-]+ (got \"" + name + "\")");
            }
            Integer previous = firstIndexOfName.putIfAbsent(name, i);
            if (previous != null) {
                throw new ConfigException("accounts[" + i + "].name \"" + name + "\" is already used by accounts["
                        + previous + "]; account names must be unique");
            }
            accounts.add(account(account, accountField));
        }
        return new ExporterConfig(apiUrl, method, zone, pollInterval, timeout, concurrency, retry, accounts);
    }

    private static AccountConfig account(RawAccount raw, UnaryOperator<String> field) throws ConfigException {
        if (blank(raw.apiKey())) {
            throw new ConfigException(field.apply("api_key") + " is required");
        }
        boolean inline = raw.apiSecret() != null;
        boolean fromFile = raw.apiSecretFile() != null;
        if (inline == fromFile) {
            throw new ConfigException((inline ? "set only one of " : "set ") + field.apply("api_secret")
                    + (inline ? " and " : " or ") + field.apply("api_secret_file"));
        }
        if (inline && raw.apiSecret().isBlank()) {
            throw new ConfigException(field.apply("api_secret") + " is empty or only white space");
        }
        Secret secret = inline ? new Secret(raw.apiSecret()) : SecretFile.read(raw.apiSecretFile(), field.apply("api_secret_file"));
        OptionalInt capacity = OptionalInt.empty();
        if (raw.capacity() != null) {
            if (raw.capacity() <= 0) {
                throw new ConfigException(field.apply("capacity") + " must be > 0 (got " + raw.capacity() + ")");
            }
            capacity = OptionalInt.of(raw.capacity());
        }
        return new AccountConfig(raw.name(), raw.apiKey(), secret, capacity);
    }

    private static RetryConfig retry(RawRetry raw) throws ConfigException {
        if (raw == null) {
            return RetryConfig.DEFAULT;
        }
        RetryConfig defaults = RetryConfig.DEFAULT;
        int maxAttempts = raw.maxAttempts() == null ? defaults.maxAttempts() : raw.maxAttempts();
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new ConfigException("retry.max_attempts must be between 1 and " + MAX_ATTEMPTS + " (got " + maxAttempts + ")");
        }
        Duration initial = positiveDuration(raw.initialBackoff(), "retry.initial_backoff", defaults.initialBackoff());
        Duration max = positiveDuration(raw.maxBackoff(), "retry.max_backoff", defaults.maxBackoff());
        if (max.compareTo(initial) < 0) {
            throw new ConfigException("retry.max_backoff (" + Durations.format(max)
                    + ") must not be shorter than retry.initial_backoff (" + Durations.format(initial) + ")");
        }
        return new RetryConfig(maxAttempts, initial, max);
    }

    private static URI apiUrl(String text, String fieldName) throws ConfigException {
        if (text == null) {
            return ExporterConfig.DEFAULT_API_URL;
        }
        URI uri = null;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            // reported below
        }
        if (uri != null && uri.getRawUserInfo() != null) {
            // The API authenticates with api_key and api_secret; credentials here would silently not be used.
            throw new ConfigException(fieldName + " must not hold user:password@ (got \"" + withoutUserInfo(text) + "\")");
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
                && uri.getRawFragment() == null) {
            return uri;
        }
        throw new ConfigException(fieldName + " must be an absolute http or https URL without a query or fragment (got \""
                + withoutUserInfo(text) + "\")");
    }

    /** The URL as messages quote it: a password in it is not repeated. */
    private static String withoutUserInfo(String url) {
        return USER_INFO.matcher(url).replaceFirst("***@");
    }

    private static RequestMethod method(String text, String fieldName) throws ConfigException {
        if (text == null) {
            return RequestMethod.POST;
        }
        try {
            return RequestMethod.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(fieldName + " must be POST or GET (got \"" + text + "\")");
        }
    }

    private static ZoneId zone(String text, String fieldName) throws ConfigException {
        if (text == null) {
            return ExporterConfig.DEFAULT_TIMEZONE;
        }
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new ConfigException(fieldName + " is not a known time zone (got \"" + text + "\")");
        }
    }

    private static Duration positiveDuration(String text, String fieldName, Duration fallback) throws ConfigException {
        if (text == null) {
            return fallback;
        }
        Duration duration;
        try {
            duration = Durations.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(fieldName + " is not a duration like 30s, 5m or 1h (got \"" + text + "\")");
        }
        if (duration.isZero()) {
            throw new ConfigException(fieldName + " must be > 0 (got \"" + text + "\")");
        }
        return duration;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
