package dev.crcexporter.web.toolkit;

/**
 * A {@code host:port} as Prometheus exporters write {@code --web.listen-address}; {@code :9877} means
 * every interface, {@code [::1]:9877} an IPv6 host.
 *
 * @param host the host to bind, or {@code null} for every interface
 * @param port 0..65535 (0 picks a free port)
 */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("must be host:port or :port (got \"" + text + "\")");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("has no numeric port (got \"" + text + "\")");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535 (got \"" + text + "\")");
        }
        return new ListenAddress(host.isEmpty() ? null : host, port);
    }
}
