package dev.crcexporter.config;

import dev.crcexporter.config.RawConfig.RawAccount;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The accounts part of the configuration: names, the source of each account and the keys that source takes,
 * secrets (inline or from a file), capacity and an account's own zone.
 */
final class AccountValidation {
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

    /** How messages name an account's keys: {@code accounts[hq].api_key} in a file, the variable in the environment. */
    interface AccountNaming {
        UnaryOperator<String> fieldNames(int index, String validName);
    }

    private AccountValidation() {}

    /** Whether {@code name} may be an account's name, and so name it in messages. */
    static boolean validName(String name) {
        return name != null && ACCOUNT_NAME.matcher(name).matches();
    }

    static List<AccountConfig> accounts(List<RawAccount> raw, String listName, AccountNaming naming)
            throws ConfigException {
        if (raw == null || raw.isEmpty()) {
            throw new ConfigException(listName + " must list at least one account");
        }
        List<AccountConfig> accounts = new ArrayList<>();
        Map<String, Integer> firstIndexOfName = new HashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            RawAccount account = raw.get(i);
            if (account == null) {
                throw new ConfigException("accounts[" + i + "] is empty");
            }
            String name = account.name();
            boolean nameValid = validName(name);
            UnaryOperator<String> field = naming.fieldNames(i, nameValid ? name : null);
            if (ConfigValues.blank(name)) {
                throw new ConfigException(field.apply("name") + " is required");
            }
            if (!nameValid) {
                throw new ConfigException(field.apply("name") + " must match [a-zA-Z0-9_.-]+ (got \"" + name + "\")");
            }
            Integer previous = firstIndexOfName.putIfAbsent(name, i);
            if (previous != null) {
                throw new ConfigException("accounts[" + i + "].name \"" + name + "\" is already used by accounts["
                        + previous + "]; account names must be unique");
            }
            accounts.add(account(account, field));
        }
        return accounts;
    }

    private static AccountConfig account(RawAccount raw, UnaryOperator<String> field) throws ConfigException {
        Source source = ConfigValues.source(raw.source(), field.apply("source"));
        Credentials credentials = source == Source.ZOOM ? zoom(raw, field) : systec(raw, field);
        OptionalInt capacity = OptionalInt.empty();
        if (raw.capacity() != null) {
            if (raw.capacity() <= 0) {
                throw new ConfigException(field.apply("capacity") + " must be > 0 (got " + raw.capacity() + ")");
            }
            capacity = OptionalInt.of(raw.capacity());
        }
        Optional<ZoneId> zone = raw.timezone() == null ? Optional.empty()
                : Optional.of(ConfigValues.zone(raw.timezone(), field.apply("timezone")));
        return new AccountConfig(raw.name(), credentials, capacity, zone);
    }

    private static Credentials systec(RawAccount raw, UnaryOperator<String> field) throws ConfigException {
        notOfThisSource(Source.SYSTEC, field, "account_id", raw.accountId(), "client_id", raw.clientId(),
                "client_secret", raw.clientSecret(), "client_secret_file", raw.clientSecretFile());
        if (ConfigValues.blank(raw.apiKey())) {
            throw new ConfigException(field.apply("api_key") + " is required");
        }
        return new Credentials.Systec(raw.apiKey(), secret(raw.apiSecret(), raw.apiSecretFile(), "api_secret", field));
    }

    private static Credentials zoom(RawAccount raw, UnaryOperator<String> field) throws ConfigException {
        notOfThisSource(Source.ZOOM, field, "api_key", raw.apiKey(), "api_secret", raw.apiSecret(),
                "api_secret_file", raw.apiSecretFile());
        if (ConfigValues.blank(raw.accountId())) {
            throw new ConfigException(field.apply("account_id") + " is required for a Zoom account (the Account ID of"
                    + " its Server-to-Server OAuth app)");
        }
        if (ConfigValues.blank(raw.clientId())) {
            throw new ConfigException(field.apply("client_id") + " is required for a Zoom account (the Client ID of"
                    + " its Server-to-Server OAuth app)");
        }
        return new Credentials.Zoom(raw.accountId().trim(), raw.clientId().trim(),
                secret(raw.clientSecret(), raw.clientSecretFile(), "client_secret", field));
    }

    /** Keys of the other source are a mistake (a missing {@code source: zoom}, a copied block): named, not ignored. */
    private static void notOfThisSource(Source source, UnaryOperator<String> field, String... keysAndValues)
            throws ConfigException {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                Source other = source == Source.ZOOM ? Source.SYSTEC : Source.ZOOM;
                throw new ConfigException(field.apply(keysAndValues[i]) + " is a key of " + other.label()
                        + " accounts, but this account's source is " + source.label()
                        + (source == Source.SYSTEC ? " (the default; set source: zoom for a Zoom account)" : ""));
            }
        }
    }

    /** {@code key} inline or {@code key_file}, exactly one, neither blank. */
    private static Secret secret(String inline, String file, String key, UnaryOperator<String> field)
            throws ConfigException {
        String fileKey = key + "_file";
        boolean isInline = inline != null;
        if (isInline == (file != null)) {
            throw new ConfigException((isInline ? "set only one of " : "set ") + field.apply(key)
                    + (isInline ? " and " : " or ") + field.apply(fileKey));
        }
        if (isInline && inline.isBlank()) {
            throw new ConfigException(field.apply(key) + " is empty or only white space");
        }
        return isInline ? new Secret(inline) : SecretFile.read(file, field.apply(fileKey));
    }
}
