package dev.crcexporter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpAnswersTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T23:59:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            seconds                          | 30                              | 30
            an HTTP-date                     | Fri, 27 Nov 2026 00:00:00 GMT   | 60
            an ISO instant (Zoom's daily limit) | 2026-11-27T00:00:00Z         | 60
            an ISO date-time with an offset  | 2026-11-27T01:00:00+01:00       | 60
            a moment past                    | 2026-11-26T00:00:00Z            | 0
            negative seconds                 | -5                              | none
            nonsense                         | soon                            | none
            """)
    void retryAfterIsReadInEveryFormItComesIn(String name, String header, Long expectedSeconds) {
        Duration retryAfter = HttpAnswers.retryAfter(response(header), CLOCK);

        assertThat(retryAfter).isEqualTo(expectedSeconds == null ? null : Duration.ofSeconds(expectedSeconds));
    }

    @Test
    void anErrorBodyLosesItsControlAndBidirectionalCharacters() {
        byte[] body = "quota\u202Eexceeded\u2066x\u2069\u0085\u001b[2J\r\nagain\u202A\u202B\u202C\u202D\u2067\u2068"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(HttpAnswers.bodyExcerpt(body, UnaryOperator.identity())).isEqualTo(": quota exceeded x [2J again");
    }

    private static HttpResponse<byte[]> response(String retryAfter) {
        HttpHeaders headers = HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (n, v) -> true);
        return new HttpResponse<>() {
            @Override public int statusCode() { return 429; }
            @Override public HttpRequest request() { return HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).build(); }
            @Override public Optional<HttpResponse<byte[]>> previousResponse() { return Optional.empty(); }
            @Override public HttpHeaders headers() { return headers; }
            @Override public byte[] body() { return new byte[0]; }
            @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
            @Override public URI uri() { return URI.create("http://127.0.0.1/"); }
            @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
        };
    }
}
