package dev.crcexporter.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses a request that changes something ({@code POST /-/reload}) when a browser sent it for a page of another site:
 * without basic auth, any page a user of the exporter's network opens could otherwise reload it, by {@code fetch} or
 * a hidden form, and no CORS preflight would stop a "simple" request. Browsers say where a request comes from in
 * {@code Origin} and {@code Sec-Fetch-Site}; tools (curl, scripts, Kubernetes hooks, config reloaders) send neither
 * and are not affected.
 */
final class CrossSiteRequests {
    /** The body types a form sends, and {@code fetch} without a preflight: no browser page may send them here. */
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");
    /** A page of the exporter itself, or a navigation the user typed (a browser's own request). */
    private static final Set<String> OWN_FETCH_SITES = Set.of("same-origin", "none");
    private static final int MAX_SHOWN_CHARS = 100;

    private CrossSiteRequests() {}

    /**
     * Why the request is refused, one line for the answer and the log; empty when it may go on.
     *
     * @param scheme      the request's own scheme ({@code http}, {@code https})
     * @param host        its {@code Host} header, as sent (null when absent)
     * @param origin      its {@code Origin} header (null when absent)
     * @param fetchSite   its {@code Sec-Fetch-Site} header (null when absent)
     * @param contentType its {@code Content-Type} header (null when absent)
     * @param body        whether it has a body (a length above 0, or chunked)
     */
    static Optional<String> refusal(String scheme, String host, String origin, String fetchSite, String contentType,
            boolean body) {
        if (origin != null) {
            Optional<String> own = host == null ? Optional.empty() : normalized(scheme + "://" + host);
            if (own.isEmpty() || !own.equals(normalized(origin))) {
                return Optional.of("Origin " + shown(origin) + " is not this exporter's own ("
                        + own.orElse("no Host header") + "): a page of another site may not reload it");
            }
        }
        if (fetchSite != null && !OWN_FETCH_SITES.contains(fetchSite.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of("Sec-Fetch-Site is " + shown(fetchSite) + ": only a page of this exporter"
                    + " (same-origin) or a tool may reload it");
        }
        if (body && contentType != null) {
            String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (FORM_TYPES.contains(type)) {
                return Optional.of("a body of type " + shown(type) + ", which any web page can send: POST without a"
                        + " body (curl -X POST)");
            }
        }
        return Optional.empty();
    }

    /** scheme://host:port with the default port made explicit, in lower case; empty when it is no such origin. */
    private static Optional<String> normalized(String origin) {
        try {
            URI uri = new URI(origin.trim());
            if (uri.getScheme() == null || uri.getHost() == null || uri.getUserInfo() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
                return Optional.empty();
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort()
                    : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** A header value as a log line may show it: printable ASCII, cut short. */
    private static String shown(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= MAX_SHOWN_CHARS ? printable : printable.substring(0, MAX_SHOWN_CHARS) + "...";
    }
}
