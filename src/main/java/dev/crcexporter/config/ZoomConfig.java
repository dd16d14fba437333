package dev.crcexporter.config;

import java.net.URI;

/**
 * Where Zoom accounts are polled: the top-level {@code zoom:} block. Configurable for tests, proxies and Zoom's
 * government cloud, whose hosts differ.
 *
 * @param apiUrl   "Get CRC port usage", {@code GET ?from=&to=} with a bearer token
 * @param oauthUrl the Server-to-Server OAuth token endpoint
 */
public record ZoomConfig(URI apiUrl, URI oauthUrl) {
    public static final URI DEFAULT_API_URL = URI.create("https://api.zoom.us/v2/metrics/crc");
    public static final URI DEFAULT_OAUTH_URL = URI.create("https://zoom.us/oauth/token");
    public static final ZoomConfig DEFAULT = new ZoomConfig(DEFAULT_API_URL, DEFAULT_OAUTH_URL);
}
