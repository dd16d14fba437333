package dev.crcexporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Plain GETs to servers that may not be up (yet): Prometheus, Alertmanager, an exporter in its own process. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Http() {}

    /** The {@code Authorization} value of HTTP basic authentication (RFC 7617) for {@code user}, {@code password}. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The response, or null when nothing answers (connection refused, reset, timed out). */
    public static HttpResponse<String> getOrNull(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: GET " + url, e);
        }
    }

    /** True when GET {@code url} answers 200. */
    public static boolean ok(String url) {
        HttpResponse<String> response = getOrNull(url);
        return response != null && response.statusCode() == 200;
    }

    /** The JSON of a 200 answer to GET {@code url}; an {@link AssertionError} naming the status and body otherwise. */
    public static JsonNode json(String url) {
        HttpResponse<String> response = getOrNull(url);
        if (response == null || response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " -> "
                    + (response == null ? "unreachable" : response.statusCode() + " " + response.body()));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + ": not JSON: " + response.body(), e);
        }
    }
}
