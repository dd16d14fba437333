package dev.crcexporter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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
        Duration retryAfter = HttpAnswers.retryAfter(headers(header), CLOCK);

        assertThat(retryAfter).isEqualTo(expectedSeconds == null ? null : Duration.ofSeconds(expectedSeconds));
    }

    @Test
    void anErrorBodyLosesItsControlAndBidirectionalCharacters() {
        byte[] body = "quota\u202Eexceeded\u2066x\u2069\u0085\u001b[2J\r\nagain\u202A\u202B\u202C\u202D\u2067\u2068"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(HttpAnswers.bodyExcerpt(body, UnaryOperator.identity())).isEqualTo(": quota exceeded x [2J again");
    }

    private static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (n, v) -> true);
    }
}
