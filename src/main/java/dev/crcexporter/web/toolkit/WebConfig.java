package dev.crcexporter.web.toolkit;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code --web.config.file} asks for, validated: TLS, basic auth users and extra response headers.
 * {@link #NONE} is plain HTTP without authentication.
 *
 * @param tls             TLS settings, when the file has {@code tls_server_config}
 * @param basicAuthUsers  user name to bcrypt hash; empty means no authentication
 * @param headers         response headers added to every answer
 */
public record WebConfig(Optional<TlsSettings> tls, Map<String, String> basicAuthUsers, Map<String, String> headers) {
    public static final WebConfig NONE = new WebConfig(Optional.empty(), Map.of(), Map.of());

    public WebConfig {
        basicAuthUsers = Map.copyOf(basicAuthUsers);
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        // Hashes are not passwords, but they have no business in a log either.
        return "WebConfig[tls=" + tls.isPresent() + ", users=" + basicAuthUsers.keySet() + ", headers="
                + headers.keySet() + "]";
    }
}
