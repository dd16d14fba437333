package dev.crcexporter.web.toolkit;

import java.util.Map;
import java.util.Optional;

/**
 * What every request is checked against and given: the users and headers of the web configuration in force.
 * Immutable; a reload swaps in a new one, and a request reads it once, so its check and its headers come from the
 * same configuration.
 *
 * @param basicAuth the configured users, or empty when anyone may ask
 * @param headers   response headers added to every answer
 */
public record WebAccess(Optional<BasicAuth> basicAuth, Map<String, String> headers) {
    public WebAccess {
        headers = Map.copyOf(headers);
    }

    /** True when the {@code Authorization} header (null when absent) may make the request. */
    public boolean allows(String authorization) {
        return basicAuth.isEmpty() || basicAuth.get().allows(authorization);
    }
}
