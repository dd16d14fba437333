package dev.crcexporter.web.toolkit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crcexporter.config.BoundedFiles;
import dev.crcexporter.config.ConfigException;
import dev.crcexporter.config.StrictYaml;
import dev.crcexporter.web.toolkit.TlsSettings.ClientAuth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@code --web.config.file} in the format of Prometheus' exporter-toolkit, so the file a user
 * already has for node_exporter works here too. Every problem is a {@link ConfigException} naming
 * the key; nothing of a password, hash or key reaches a message.
 */
public final class WebConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(WebConfigLoader.class);

    /** What htpasswd -nBC 10 writes: $2y$ (or $2a$/$2b$), a cost 04..31, 53 characters of salt and hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    private static final Map<String, String> TLS_VERSIONS = Map.of(
            "TLS10", "TLSv1", "TLS11", "TLSv1.1", "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");
    private static final List<String> VERSION_ORDER = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    /** The response headers exporter-toolkit lets a web config set. */
    private static final Set<String> ALLOWED_HEADERS = Set.of("Content-Security-Policy", "X-Frame-Options",
            "X-Content-Type-Options", "X-XSS-Protection", "Strict-Transport-Security");

    private static final ObjectMapper YAML = StrictYaml.mapper();

    private WebConfigLoader() {}

    record RawWebConfig(
            @JsonProperty("tls_server_config") RawTls tls,
            @JsonProperty("http_server_config") RawHttp http,
            @JsonProperty("basic_auth_users") Map<String, String> basicAuthUsers) {}

    record RawTls(
            @JsonProperty("cert_file") String certFile,
            @JsonProperty("key_file") String keyFile,
            @JsonProperty("client_ca_file") String clientCaFile,
            @JsonProperty("client_auth_type") String clientAuthType,
            @JsonProperty("min_version") String minVersion,
            @JsonProperty("max_version") String maxVersion,
            @JsonProperty("cipher_suites") List<String> cipherSuites,
            @JsonProperty("prefer_server_cipher_suites") Boolean preferServerCipherSuites,
            @JsonProperty("curve_preferences") List<String> curvePreferences,
            @JsonProperty("client_allowed_sans") List<String> clientAllowedSans) {}

    record RawHttp(
            @JsonProperty("http2") Boolean http2,
            @JsonProperty("headers") Map<String, String> headers) {}

    public static WebConfig load(Path file) throws ConfigException {
        String source = "--web.config.file " + file;
        String text;
        try {
            text = BoundedFiles.readUtf8(file, BoundedFiles.MAX_WEB_CONFIG_BYTES);
        } catch (IOException e) {
            throw new ConfigException(source + " " + BoundedFiles.reason(e));
        }
        RawWebConfig raw;
        try {
            raw = text.isBlank() ? new RawWebConfig(null, null, null) : YAML.readValue(text, RawWebConfig.class);
        } catch (JacksonException e) {
            String message = StrictYaml.describe(e, source);
            throw new ConfigException(message.startsWith(source) ? message : source + ": " + message);
        }
        try {
            return validate(raw, file.toAbsolutePath().getParent());
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    private static WebConfig validate(RawWebConfig raw, Path baseDir) throws ConfigException {
        Optional<TlsSettings> tls = raw.tls() == null ? Optional.empty() : Optional.of(tls(raw.tls(), baseDir));
        Map<String, String> users = new LinkedHashMap<>();
        if (raw.basicAuthUsers() != null) {
            for (Map.Entry<String, String> user : raw.basicAuthUsers().entrySet()) {
                String name = user.getKey();
                if (name.isEmpty() || name.contains(":")) {
                    throw new ConfigException("basic_auth_users: user names must be non-empty and without ':' (got \""
                            + name + "\")");
                }
                if (user.getValue() == null || !BCRYPT.matcher(user.getValue()).matches()) {
                    throw new ConfigException("basic_auth_users." + name
                            + " is not a bcrypt hash ($2y$, $2a$ or $2b$, as `htpasswd -nBC 10 USER` writes it)");
                }
                users.put(name, user.getValue());
            }
        }
        Map<String, String> headers = new TreeMap<>();
        if (raw.http() != null) {
            if (raw.http().http2() != null) {
                LOG.warn("http_server_config.http2 is ignored: crc-exporter serves HTTP/1.1");
            }
            if (raw.http().headers() != null) {
                for (Map.Entry<String, String> header : raw.http().headers().entrySet()) {
                    headers.put(header.getKey(), header(header.getKey(), header.getValue()));
                }
            }
        }
        if (tls.isEmpty() && !users.isEmpty()) {
            LOG.warn("basic_auth_users without tls_server_config: passwords cross the network in clear text");
        }
        return new WebConfig(tls, users, headers);
    }

    private static String header(String name, String value) throws ConfigException {
        String key = "http_server_config.headers." + name;
        if (!ALLOWED_HEADERS.contains(name)) {
            throw new ConfigException(key + " is not an allowed header (allowed: "
                    + String.join(", ", ALLOWED_HEADERS.stream().sorted().toList()) + ")");
        }
        if (value == null || value.isBlank()) {
            throw new ConfigException(key + " must not be empty");
        }
        String lower = value.trim().toLowerCase(Locale.ROOT);
        if (name.equals("X-Frame-Options") && !lower.equals("deny") && !lower.equals("sameorigin")) {
            throw new ConfigException(key + " must be deny or sameorigin (got \"" + value + "\")");
        }
        if (name.equals("X-Content-Type-Options") && !lower.equals("nosniff")) {
            throw new ConfigException(key + " must be nosniff (got \"" + value + "\")");
        }
        return value.trim();
    }

    private static TlsSettings tls(RawTls raw, Path baseDir) throws ConfigException {
        if (raw.clientAllowedSans() != null && !raw.clientAllowedSans().isEmpty()) {
            throw new ConfigException("tls_server_config.client_allowed_sans is not supported by crc-exporter;"
                    + " remove it or restrict clients with client_ca_file");
        }
        if (raw.preferServerCipherSuites() != null || raw.curvePreferences() != null) {
            LOG.warn("tls_server_config.prefer_server_cipher_suites and curve_preferences are ignored:"
                    + " the JDK's choices apply");
        }
        if (blank(raw.certFile())) {
            throw new ConfigException("tls_server_config.cert_file is required");
        }
        if (blank(raw.keyFile())) {
            throw new ConfigException("tls_server_config.key_file is required");
        }
        TlsFiles files = new TlsFiles(resolve(baseDir, raw.certFile()), resolve(baseDir, raw.keyFile()),
                blank(raw.clientCaFile()) ? Optional.empty() : Optional.of(resolve(baseDir, raw.clientCaFile())));
        TlsMaterial material = TlsMaterial.read(files);
        ClientAuth clientAuth = clientAuth(raw);
        if (clientAuth.verify && files.clientCa().isEmpty()) {
            throw new ConfigException("tls_server_config.client_auth_type " + clientAuth + " needs client_ca_file");
        }

        String min = version(raw.minVersion(), "TLS12", "min_version");
        String max = version(raw.maxVersion(), "TLS13", "max_version");
        if (VERSION_ORDER.indexOf(min) > VERSION_ORDER.indexOf(max)) {
            throw new ConfigException("tls_server_config.min_version " + min + " is above max_version " + max);
        }
        List<String> range = VERSION_ORDER.subList(VERSION_ORDER.indexOf(min), VERSION_ORDER.indexOf(max) + 1);
        for (String version : range) {
            if (!TlsRuntime.offers(TLS_VERSIONS.get(version))) {
                // Jetty would enable it and the JDK refuse it at every handshake: the file would promise what is not
                // served.
                String setting = version.equals(max) && !version.equals(min) ? "max_version " + max
                        : "min_version " + min + (version.equals(min) ? "" : " includes " + version + ", which");
                throw new ConfigException("tls_server_config." + setting
                        + " is disabled in this Java runtime (jdk.tls.disabledAlgorithms in java.security);"
                        + " use TLS12 or TLS13");
            }
        }
        List<String> protocols = range.stream().map(TLS_VERSIONS::get).toList();

        return new TlsSettings(files, clientAuth, protocols, cipherSuites(raw.cipherSuites()), material);
    }

    private static ClientAuth clientAuth(RawTls raw) throws ConfigException {
        if (blank(raw.clientAuthType())) {
            // exporter-toolkit's default: verify clients when a CA is given, else ask nothing.
            return blank(raw.clientCaFile()) ? ClientAuth.NoClientCert : ClientAuth.RequireAndVerifyClientCert;
        }
        try {
            return ClientAuth.valueOf(raw.clientAuthType().trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tls_server_config.client_auth_type must be one of "
                    + Arrays.toString(ClientAuth.values()) + " (got \"" + raw.clientAuthType() + "\")");
        }
    }

    private static String version(String text, String fallback, String key) throws ConfigException {
        if (blank(text)) {
            return fallback;
        }
        String version = text.trim().toUpperCase(Locale.ROOT);
        if (!TLS_VERSIONS.containsKey(version)) {
            throw new ConfigException("tls_server_config." + key + " must be one of TLS10, TLS11, TLS12, TLS13 (got \""
                    + text + "\")");
        }
        return version;
    }

    private static List<String> cipherSuites(List<String> names) throws ConfigException {
        if (names == null || names.isEmpty()) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (String name : names) {
            // Go and the JDK both use the IANA names (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).
            if (!TlsRuntime.offersCipherSuite(name)) {
                throw new ConfigException("tls_server_config.cipher_suites: " + name
                        + " is not supported by this Java runtime, or is disabled in it");
            }
            result.add(name);
        }
        return result;
    }

    /** Relative paths are read from the web config file's folder, as exporter-toolkit does. */
    private static Path resolve(Path baseDir, String path) {
        Path p = Path.of(path);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
