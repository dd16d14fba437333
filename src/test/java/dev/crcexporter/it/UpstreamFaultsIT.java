package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.MutableClock;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.Ports;
import dev.crcexporter.upstream.FailureReason;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way the upstream connection can fail, over real loopback HTTP: what the exporter counts, logs and keeps
 * exposing. One test (or one parameterized test) per row of the fault table of issue 3; what an answer holds is in
 * {@link UpstreamAnswersIT}.
 */
class UpstreamFaultsIT extends UpstreamFaultsFixture {
    @Test
    void scrapesAreAnsweredWhileAPollHangs() {
        // The upstream answers only when the test ends, long after any scrape; the poll's timeout is later still.
        upstream.behave(this::heldUntilTheEnd);
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofMinutes(5), noRetry());
        Poll.until(Duration.ofSeconds(15), "the poll reached the upstream", () -> upstream.requests().size() == 1);

        String during = fixture.metrics(exporter);

        assertThat(during).contains("crc_up{account=\"hq\"} 0.0");
        assertThat(fixture.account(exporter, "hq").polled()).as("the poll still hangs after the scrape").isFalse();
        assertThat(release.getCount()).as("the upstream still holds its answer").isEqualTo(1);
    }

    @Test
    void aHangingAnswerIsAbandonedAtTheTimeout() {
        upstream.behave(this::heldUntilTheEnd);
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(1), noRetry());
        Poll.until(Duration.ofSeconds(15), "the poll reached the upstream", () -> upstream.requests().size() == 1);

        awaitError(exporter, FailureReason.TIMEOUT);
        assertThat(release.getCount()).as("abandoned while the upstream still held its answer").isEqualTo(1);
        String metrics = fixture.metrics(exporter);
        // The poll's own duration, which encloses the exchange: the fake's receipt of the request comes after the
        // exchange's deadline was set (by a few ms, more on a loaded machine), so it can time nothing exactly.
        assertThat(ExporterFixture.value(metrics, "crc_exporter_poll_duration_seconds{account=\"hq\"}").orElseThrow())
                .as("abandoned at the timeout, not before: the poll's duration, s").isGreaterThanOrEqualTo(1.0);
        assertThat(metrics).contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"timeout\"} 1.0");
        awaitWarning("timeout", "no complete answer within 1000ms");
    }

    @Test
    void bodyThatTricklesIsAbandonedAtTheTimeout() {
        // The headers at once, then a byte every 100 ms: the whole body would take minutes.
        String body = ApiAnswers.success(List.of(day("2026-11-26", 30)));
        upstream.behave(request -> Response.json(body).framed(FakeCrcApi.Framing.TRICKLE));
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(1), noRetry());

        awaitError(exporter, FailureReason.TIMEOUT);
        awaitWarning("timeout", "no complete answer within 1000ms");
        assertThat(fixture.account(exporter, "hq").errors()).containsEntry(FailureReason.CONNECT, 0L)
                .containsEntry(FailureReason.MALFORMED, 0L);
        // The exporter hung up: the upstream's writes fail long before the body is out.
        Poll.until(Duration.ofSeconds(10), "the upstream noticed the hang-up", () -> upstream.requestsInFlight() == 0);
        assertThat(upstream.bytesSent()).as("bytes sent of a %d-byte body", body.length()).isLessThan(body.length());
    }

    @Test
    void refusedConnectionIsCountedAsConnect() {
        URI refused = URI.create("http://127.0.0.1:" + fixture.closeLater(Ports.refusing()).port() + FakeCrcApi.PATH);
        Exporter exporter = fixture.start(config(refused, Duration.ofHours(1), Duration.ofSeconds(5), 8, noRetry(),
                account("hq")), CLOCK);

        awaitError(exporter, FailureReason.CONNECT);
        assertThat(fixture.metrics(exporter))
                .contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"connect\"} 1.0")
                .contains("crc_up{account=\"hq\"} 0.0");
        awaitWarning("connect", "ConnectException");
    }

    @Test
    void unresolvableHostIsCountedAsConnect() {
        URI nowhere = URI.create("http://nonexistent.invalid" + FakeCrcApi.PATH);
        // A timeout far beyond what a resolver without a network takes to give up:
        // the failure is the name, not the time.
        Exporter exporter = fixture.start(config(nowhere, Duration.ofHours(1), Duration.ofSeconds(15), 8, noRetry(),
                account("hq")), CLOCK);

        Poll.until(Duration.ofSeconds(30), "the poll ended", () -> fixture.account(exporter, "hq").polled());
        assertThat(fixture.account(exporter, "hq").errors()).containsEntry(FailureReason.CONNECT, 1L)
                .containsEntry(FailureReason.TIMEOUT, 0L);
        assertThat(fixture.metrics(exporter))
                .contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"connect\"} 1.0");
        awaitWarning("connect", "account=hq");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 404, 401, 301, 204})
    void nonSuccessHttpStatusIsCountedWithTheCodeInTheLog(int status) {
        upstream.behave(request -> new Response(status, Map.of(), status == 204 ? "" : "upstream says no",
                Duration.ZERO));
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(5), noRetry());

        FailureReason expected = status == 204 ? FailureReason.MALFORMED : FailureReason.HTTP_STATUS;
        awaitError(exporter, expected);
        if (status == 204) {
            // 2xx without a body is not an HTTP failure but no answer either
            Poll.until(Duration.ofSeconds(10), "a malformed warning: no JSON", () -> warnLines("malformed").stream()
                    .anyMatch(l -> l.contains("not valid JSON") || l.contains("not a JSON object")));
        } else {
            awaitWarning("http_status", "HTTP " + status + ": upstream says no");
        }
    }

    @Test
    void rateLimitWithRetryAfterSecondsLeavesTheAccountAloneThatLong() {
        AtomicInteger calls = new AtomicInteger();
        upstream.behave(request -> calls.getAndIncrement() == 0
                ? new Response(429, Map.of("Retry-After", "1"), "slow down", Duration.ZERO)
                : upstream.documentedAnswer(request));
        // Polls every 500 ms without retries: only the wait asked for holds hq back (PollerTest shows the rounds,
        // exactly, in the poller's own time).
        Exporter exporter = startHq(Duration.ofMillis(500), Duration.ofSeconds(10), noRetry());

        Poll.until(Duration.ofSeconds(20), "hq asked again", () -> upstream.requestsFor("key-hq") >= 2);
        List<Long> hq = upstream.arrivalsFor("key-hq");
        assertThat(TimeUnit.NANOSECONDS.toMillis(hq.get(1) - hq.get(0))).as("no new request before Retry-After, ms")
                .isGreaterThanOrEqualTo(1000);
        Poll.until(Duration.ofSeconds(10), "hq up again", () -> fixture.account(exporter, "hq").up());
        assertThat(errors(exporter, "hq", FailureReason.RATE_LIMITED)).isEqualTo(1);
        assertThat(warnLines("rate_limited")).anyMatch(l -> l.contains("HTTP 429 Too Many Requests, Retry-After 1s"));
    }

    @Test
    void rateLimitWithRetryAfterHttpDateIsRetriedAfterThatDate() {
        AtomicInteger calls = new AtomicInteger();
        String inASecond = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(1).atOffset(ZoneOffset.UTC));
        upstream.behave(request -> calls.getAndIncrement() == 0
                ? new Response(429, Map.of("Retry-After", inASecond), "", Duration.ZERO)
                : upstream.documentedAnswer(request));
        // One poll per hour: the second request can only be the retry inside this poll.
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(5),
                new RetryConfig(3, Duration.ofMillis(100), Duration.ofMillis(200)));

        Poll.until(Duration.ofSeconds(20), "hq up after the retry", () -> fixture.account(exporter, "hq").up());
        List<Long> hq = upstream.arrivalsFor("key-hq");
        assertThat(hq).hasSize(2);
        // At least the second to that date (of the exporter's clock, fixed at NOW).
        assertThat(TimeUnit.NANOSECONDS.toMillis(hq.get(1) - hq.get(0))).isGreaterThanOrEqualTo(1000);
        assertThat(errors(exporter, "hq", FailureReason.RATE_LIMITED)).isEqualTo(1);
    }

    @Test
    void rateLimitWithoutRetryAfterBacksOffAndStopsAtMaxAttempts() {
        upstream.behave(request -> new Response(429, Map.of(), "", Duration.ZERO));
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(5),
                new RetryConfig(4, Duration.ofMillis(200), Duration.ofMillis(800)));

        Poll.until(Duration.ofSeconds(10), "the poll gave up", () -> fixture.account(exporter, "hq").polled());
        List<Long> arrivals = upstream.arrivalsFor("key-hq");
        assertThat(arrivals).hasSize(4);
        // Equal jitter: at least half of 200, 400, 800 ms between attempts.
        long[] minimumGaps = {100, 200, 400};
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - arrivals.get(i - 1)))
                    .as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(minimumGaps[i - 1]);
        }
        assertThat(errors(exporter, "hq", FailureReason.RATE_LIMITED)).isEqualTo(4);
    }

    @Test
    void failedPollIsRetriedWithBackoffAndStopsAtMaxAttempts() {
        upstream.behave(request -> new Response(503, Map.of(), "maintenance", Duration.ZERO));
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(5),
                new RetryConfig(3, Duration.ofMillis(100), Duration.ofMillis(150)));

        Poll.until(Duration.ofSeconds(10), "the poll gave up", () -> fixture.account(exporter, "hq").polled());
        List<Long> arrivals = upstream.arrivalsFor("key-hq");
        assertThat(arrivals).hasSize(3);
        assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(50);
        assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(2) - arrivals.get(1))).isGreaterThanOrEqualTo(75);
        assertThat(fixture.metrics(exporter))
                .contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"http_status\"} 3.0");
        assertThat(warnLines("http_status")).anyMatch(l -> l.contains("attempt=1") && l.contains("next=\"retry in"))
                .anyMatch(l -> l.contains("attempt=3") && l.contains("next=\"next poll interval\""));
        assertThat(upstream.requestsFor("key-hq")).as("no fourth attempt").isEqualTo(3);
    }

    @Test
    void hoursOfFailureKeepTheLastGoodDataWithItsAge() {
        MutableClock clock = new MutableClock(NOW);
        Exporter exporter = fixture.start(config(upstream.url(), Duration.ofMillis(500), Duration.ofSeconds(10), 8,
                noRetry(), account("hq")), clock);
        Poll.until(Duration.ofSeconds(10), "hq up", () -> fixture.account(exporter, "hq").up());
        upstream.behave(request -> new Response(503, Map.of(), "maintenance", Duration.ZERO));
        // Polls of one account never overlap: once a poll has failed, no success in flight can land any more.
        Poll.until(Duration.ofSeconds(10), "a failed poll",
                () -> errors(exporter, "hq", FailureReason.HTTP_STATUS) >= 1);
        Instant lastGood = fixture.account(exporter, "hq").lastSuccess().orElseThrow();
        assertThat(lastGood).isEqualTo(NOW);

        for (int hour = 1; hour <= 3; hour++) { // 11:30, 12:30, 13:30 in Shanghai, the same day
            clock.advance(Duration.ofHours(1));
            long failedBefore = errors(exporter, "hq", FailureReason.HTTP_STATUS);
            Poll.until(Duration.ofSeconds(10), "another failed poll",
                    () -> errors(exporter, "hq", FailureReason.HTTP_STATUS) > failedBefore);
        }

        String metrics = fixture.metrics(exporter);
        double lastSuccess = ExporterFixture.value(metrics,
                "crc_exporter_last_success_timestamp_seconds{account=\"hq\"}").orElseThrow();
        assertThat(lastSuccess).isEqualTo((double) lastGood.getEpochSecond());
        assertThat(clock.instant().getEpochSecond() - lastSuccess).as("age of the data, seconds").isEqualTo(3 * 3600.0);
        assertThat(metrics).contains("crc_up{account=\"hq\"} 0.0").contains(HQ + " 30.0")
                .contains("crc_ports_daily_max_usage{account=\"hq\",date=\"2026-11-25\"} 20.0");
        assertThat(fixture.get(exporter, "/").body()).contains("failing").contains("3h");
    }

    @Test
    void oneHangingAccountDoesNotDelayTheOthers() {
        for (String name : List.of("a", "b", "c")) {
            upstream.account("key-" + name, SECRET, List.of(day("2026-11-26", 5)));
        }
        upstream.behave(request -> request.apiKey().equals("key-hang") ? heldUntilTheEnd(request)
                : upstream.documentedAnswer(request));
        Exporter exporter = fixture.start(config(upstream.url(), Duration.ofMillis(300), Duration.ofMinutes(5), 2,
                noRetry(), account("hang"), account("a"), account("b"), account("c")), CLOCK);

        // Had the rounds waited for the hanging poll, no account would be asked a second time before the test ends.
        Poll.until(Duration.ofSeconds(30), "three polls of each other account while the hanging one is held",
                () -> List.of("a", "b", "c").stream().allMatch(name -> upstream.requestsFor("key-" + name) >= 3));
        assertThat(upstream.requestsFor("key-hang")).as("the hanging poll, never asked again while it runs")
                .isEqualTo(1);
        assertThat(release.getCount()).as("still held").isEqualTo(1);
        for (String name : List.of("a", "b", "c")) {
            assertThat(fixture.account(exporter, name).up()).isTrue();
        }
    }

    @Test
    void concurrencyBoundsTheRequestsInFlight() {
        List<String> names = List.of("a", "b", "c", "d", "e", "f");
        for (String name : names) {
            upstream.account("key-" + name, SECRET, List.of(day("2026-11-26", 5)));
        }
        upstream.behave(request -> upstream.documentedAnswer(request).delayed(Duration.ofMillis(300)));
        Exporter exporter = fixture.start(config(upstream.url(), Duration.ofHours(1), Duration.ofSeconds(5), 2,
                noRetry(), names.stream().map(UpstreamFaultsIT::account).toArray(AccountConfig[]::new)), CLOCK);

        fixture.awaitReady(exporter, Duration.ofSeconds(10));
        assertThat(upstream.maxConcurrentRequests()).isEqualTo(2);
        assertThat(names).allMatch(n -> fixture.account(exporter, n).up());
    }
}
