package dev.crcexporter.it;

import static dev.crcexporter.it.ZoomSourceIT.DAYS;
import static dev.crcexporter.it.ZoomSourceIT.NOW;
import static dev.crcexporter.it.ZoomSourceIT.SHANGHAI;
import static dev.crcexporter.it.ZoomSourceIT.zoomAccount;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.backfill.Backfill;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.demo.ZoomAnswers;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.FakeZoomApi;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.MutableClock;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import dev.crcexporter.upstream.UsageSources;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What Zoom answers, over real loopback HTTP against {@link FakeZoomApi}: rate limits, server errors, malformed
 * answers (the last good data stays), both ways of writing dates and hours, extra, shuffled and missing days, an
 * account in its own zone, and backfill's month chunks with Zoom's inclusive {@code to}.
 */
class ZoomAnswersIT {
    private static final String EMEA_10 = "crc_ports_max_usage{account=\"emea\",date=\"2026-11-26\",hour=\"10\"}";

    private final ExporterFixture fixture = new ExporterFixture();
    private final MutableClock clock = new MutableClock(NOW);
    private FakeZoomApi zoom;
    private LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        zoom = fixture.closeLater(new FakeZoomApi(clock));
        zoom.account("acct-emea", "client-emea", "emea-client-S3cret", DAYS);
        logs = fixture.closeLater(new LogCapture());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private ExporterConfig config(Duration interval, Duration timeout, RetryConfig retry, AccountConfig... accounts) {
        return new ExporterConfig(URI.create("http://127.0.0.1:9/unused"), RequestMethod.POST, SHANGHAI, interval,
                timeout, 8, retry, List.of(accounts), zoom.urls());
    }

    private Exporter startEmea(Duration interval, RetryConfig retry) {
        // A timeout far beyond a loopback answer, however loaded the machine: only what the fake answers fails a poll.
        return fixture.start(config(interval, Duration.ofSeconds(15), retry, zoomAccount("emea", "emea-client-S3cret")),
                clock);
    }

    private static RetryConfig noRetry() {
        return new RetryConfig(1, Duration.ofMillis(100), Duration.ofMillis(100));
    }

    private void awaitWarning(String reason, String text) {
        Poll.until(Duration.ofSeconds(10), "a warning with reason=" + reason + " containing: " + text,
                () -> logs.logfmtLines().stream().anyMatch(l -> l.contains("reason=" + reason) && l.contains(text)));
    }

    private long errors(Exporter exporter, FailureReason reason) {
        return fixture.account(exporter, "emea").errors(reason);
    }

    @Test
    void rateLimitWithRetryAfterIsHonouredAndZoomsLimitTypeIsLogged() {
        AtomicInteger calls = new AtomicInteger();
        zoom.behaveMetrics(request -> calls.incrementAndGet() == 1
                ? new Response(429,
                        Map.of("Retry-After", "1", "X-RateLimit-Type", "QPS", "Content-Type", "application/json"),
                        ZoomAnswers.error(429, "You have reached the maximum per-second rate limit for this API."),
                        Duration.ZERO)
                : zoom.documentedMetrics(request));
        Exporter exporter = startEmea(Duration.ofHours(1),
                new RetryConfig(3, Duration.ofMillis(100), Duration.ofMillis(100)));

        Poll.until(Duration.ofSeconds(15), "the retry succeeds", () -> fixture.account(exporter, "emea").up());
        List<Long> arrivals = zoom.requests().stream().filter(r -> !r.isToken())
                .map(FakeZoomApi.Request::receivedNanos).toList();
        assertThat(arrivals).hasSize(2);
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).as("Retry-After 1s, not the 100ms backoff")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(errors(exporter, FailureReason.RATE_LIMITED)).isEqualTo(1);
        awaitWarning("rate_limited", "HTTP 429 Too Many Requests (QPS), Retry-After 1s: code 429: You have reached"
                + " the maximum per-second rate limit for this API.");
        assertThat(zoom.tokenRequests()).as("a 429 keeps the token").isEqualTo(1);
    }

    @Test
    void rateLimitWithoutRetryAfterFollowsTheRetryPolicy() {
        zoom.behaveMetrics(request -> FakeZoomApi.json(429, ZoomAnswers.error(429, "Too many requests")));
        Exporter exporter = startEmea(Duration.ofHours(1),
                new RetryConfig(3, Duration.ofMillis(100), Duration.ofMillis(200)));

        Poll.until(Duration.ofSeconds(10), "three attempts", () -> errors(exporter, FailureReason.RATE_LIMITED) == 3);
        Poll.until(Duration.ofSeconds(5), "the poll is over", () -> fixture.account(exporter, "emea").polled());
        assertThat(zoom.metricsRequests()).isEqualTo(3);
        assertThat(fixture.metrics(exporter)).contains("crc_up{account=\"emea\"} 0.0");
    }

    @Test
    void serverErrorIsAnHttpStatusFailureWithZoomsMessage() {
        zoom.behaveMetrics(request -> FakeZoomApi.json(503, ZoomAnswers.error(503, "Service temporarily unavailable")));
        Exporter exporter = startEmea(Duration.ofHours(1), noRetry());

        Poll.until(Duration.ofSeconds(10), "the failure", () -> errors(exporter, FailureReason.HTTP_STATUS) == 1);
        awaitWarning("http_status", "HTTP 503: code 503: Service temporarily unavailable");
    }

    @Test
    void aTokenEndpointThatFailsIsAnAuthFailureAndOneThatCannotBeReachedKeepsItsReason() throws Exception {
        zoom.behaveToken(request -> FakeZoomApi.json(500,
                "{\"reason\":\"Internal Error\",\"error\":\"server_error\"}"));
        Exporter exporter = startEmea(Duration.ofHours(1), noRetry());
        Poll.until(Duration.ofSeconds(10), "the failure", () -> errors(exporter, FailureReason.AUTH) == 1);
        awaitWarning("auth", "token request refused: HTTP 500: server_error: Internal Error");

        ExporterConfig unreachable = new ExporterConfig(URI.create("http://127.0.0.1:9/unused"), RequestMethod.POST,
                SHANGHAI, Duration.ofHours(1), Duration.ofSeconds(2), 8, noRetry(), List.of(zoomAccount("apac", "s")),
                new dev.crcexporter.config.ZoomConfig(zoom.urls().apiUrl(),
                        URI.create("http://127.0.0.1:"
                                + fixture.closeLater(dev.crcexporter.testing.Ports.refusing()).port()
                                + "/oauth/token")));
        Exporter other = fixture.start(unreachable, clock);
        Poll.until(Duration.ofSeconds(10), "the failure",
                () -> fixture.account(other, "apac").errors(FailureReason.CONNECT) == 1);
        assertThat(fixture.landingPageCards(other).get("apac")).startsWith("connect: token request: cannot connect");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            hour 24            | "hour":"23"           | "hour":"24"           \
            | .hour must be a string \"0\"..\"23\" or \"00\"..\"23\" (got \"24\")
            systec's answer    | "crc_ports_usage"     | "data"                \
            | "crc_ports_usage" is missing or not a list
            truncated          | TRUNCATE              |                       | is not valid JSON
            date-time broken   | "date_time":"2026-11-26" | "date_time":"2026-11-26T10:99Z" \
            | date_time must be a yyyy-MM-dd date or a date-time that starts with one
            """)
    void malformedAnswerIsCountedAndNothingOfItIsExposed(String name, String find, String replacement, String logged) {
        Exporter exporter = startEmea(Duration.ofMillis(500), noRetry());
        Poll.until(Duration.ofSeconds(10), "first good poll", () -> fixture.account(exporter, "emea").up());
        String good = ZoomAnswers.usage(LocalDate.of(2026, 11, 25), LocalDate.of(2026, 11, 26),
                List.of(Days.peakingAtTen("2026-11-25", 20), Days.peakingAtTen("2026-11-26", 77)),
                ZoomAnswers.Style.DATE_AND_PADDED_HOURS);
        String bad = "TRUNCATE".equals(find) ? good.substring(0, good.length() / 2) : good.replaceFirst(
                java.util.regex.Pattern.quote(find), java.util.regex.Matcher.quoteReplacement(replacement));
        assertThat(bad).isNotEqualTo(good);
        zoom.behaveMetrics(request -> FakeZoomApi.json(200, bad));

        Poll.until(Duration.ofSeconds(10), "emea down", () -> errors(exporter, FailureReason.MALFORMED) >= 1
                && !fixture.account(exporter, "emea").up());
        String metrics = fixture.metrics(exporter);
        assertThat(ExporterFixture.value(metrics, EMEA_10)).as("the previous good value stays").hasValue(30.0);
        assertThat(metrics.lines().filter(l -> l.startsWith("crc_ports_"))).noneMatch(l -> l.endsWith(" 77.0"));
        awaitWarning("malformed", logged.replace("\"", "\\\""));
    }

    @ParameterizedTest
    @EnumSource(ZoomAnswers.Style.class)
    void extraShuffledAndMissingDaysInEitherStyleShowOnlyTheWindowWithTwoDigitHours(ZoomAnswers.Style style) {
        // No yesterday; the day before, tomorrow and a month ago instead; today's hours shuffled;
        // today 10:30 in Shanghai.
        List<DailyUsage> days = new ArrayList<>(List.of(Days.peakingAtTen("2026-11-24", 99),
                Days.peakingAtTen("2026-11-27", 98),
                Days.shuffled(Days.peakingAtTen("2026-11-26", 30), 7), Days.peakingAtTen("2026-10-26", 97)));
        Collections.shuffle(days, new Random(3));
        zoom.account("acct-emea", "client-emea", "emea-client-S3cret", days).style(style);
        Exporter exporter = startEmea(Duration.ofHours(1), noRetry());

        Poll.until(Duration.ofSeconds(10), "first poll", () -> fixture.account(exporter, "emea").up());
        List<String> series = fixture.metrics(exporter).lines()
                .filter(l -> l.startsWith("crc_ports_max_usage{account=\"emea\""))
                .toList();
        assertThat(series).hasSize(11) // 00..10 of today; nothing of yesterday, tomorrow or other days
                .allMatch(l -> l.contains("date=\"2026-11-26\"")).contains(EMEA_10 + " 30.0")
                .anyMatch(l -> l.contains("hour=\"07\""));
        assertThat(fixture.metrics(exporter).lines().filter(l -> l.startsWith("crc_")))
                .noneMatch(l -> l.contains("date=\"2026-11-25\"")
                        || l.endsWith(" 99.0") || l.endsWith(" 98.0") || l.endsWith(" 97.0"));
    }

    @Test
    void anAccountInItsOwnZoneIsPolledAndExposedInThatZone() {
        // 20:30 UTC on the 25th: 04:30 on the 26th in Shanghai, 21:30 on the 25th in Berlin.
        clock.advance(Duration.between(NOW, Instant.parse("2026-11-25T20:30:00Z")));
        zoom.account("acct-emea", "client-emea", "emea-client-S3cret",
                List.of(Days.peakingAtTen("2026-11-24", 20), Days.peakingAtTen("2026-11-25", 30)));
        AccountConfig berlin = new AccountConfig("emea", zoomAccount("emea", "emea-client-S3cret").credentials(),
                java.util.OptionalInt.of(40), Optional.of(ZoneId.of("Europe/Berlin")));
        Exporter exporter = fixture.start(config(Duration.ofHours(1), Duration.ofSeconds(5), noRetry(), berlin), clock);

        Poll.until(Duration.ofSeconds(10), "first poll", () -> fixture.account(exporter, "emea").up());
        assertThat(zoom.requests()).filteredOn(r -> !r.isToken()).singleElement()
                .satisfies(r -> assertThat(r.query()).containsEntry("from", "2026-11-24")
                        .containsEntry("to", "2026-11-25"));
        String metrics = fixture.metrics(exporter);
        assertThat(metrics).contains("crc_ports_max_usage{account=\"emea\",date=\"2026-11-25\",hour=\"21\"} 0.0",
                "crc_ports_daily_max_usage{account=\"emea\",date=\"2026-11-24\"} 20.0",
                "crc_ports_current_max_usage{account=\"emea\"} 0.0");
        assertThat(metrics).as("22:00 in Berlin has not begun").doesNotContain("date=\"2026-11-25\",hour=\"22\"");
        assertThat(fixture.get(exporter, "/").body()).contains("hours in Europe/Berlin", "today 2026-11-25");
    }

    @Test
    void backfillAsksZoomInCalendarMonthsWithAnInclusiveToAndOneToken() throws Exception {
        clock.advance(Duration.between(NOW, Instant.parse("2026-03-10T00:00:00Z")));
        zoom.account("acct-emea", "client-emea", "emea-client-S3cret", List.of(Days.peakingAtTen("2026-02-28", 11),
                Days.peakingAtTen("2026-03-01", 12), Days.peakingAtTen("2026-03-03", 13)));
        ExporterConfig config = config(Duration.ofMinutes(5), Duration.ofSeconds(5), noRetry(),
                zoomAccount("emea", "emea-client-S3cret"));
        StringWriter progress = new StringWriter();
        StringWriter out = new StringWriter();
        Backfill.Result result;
        try (UsageSources sources = new UsageSources(config, clock)) {
            result = new Backfill(config, sources, clock, Duration.ofMinutes(30), new PrintWriter(progress), d -> { })
                    .run(LocalDate.parse("2026-01-15"), LocalDate.parse("2026-03-02"), day -> out);
        }

        assertThat(zoom.requests()).filteredOn(r -> !r.isToken())
                .extracting(r -> r.query().get("from") + ".." + r.query().get("to"))
                .containsExactly("2026-01-15..2026-01-31", "2026-02-01..2026-02-28", "2026-03-01..2026-03-02");
        assertThat(zoom.tokenRequests()).isEqualTo(1);
        assertThat(result.failed()).isEmpty();
        // 02-28 and 03-01 are in the range; 03-03 (answered, not asked for) is not.
        assertThat(out.toString()).contains("crc_ports_current_max_usage{account=\"emea\"} 11 ")
                .contains("crc_ports_current_max_usage{account=\"emea\"} 12 ").doesNotContain("} 13 ");
    }
}
