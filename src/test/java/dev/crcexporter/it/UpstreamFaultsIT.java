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
    void slowAnswerIsAbandonedAtTheTimeoutWhileScrapesStayFast() {
        // The upstream answers only when the test ends; the exporter gives up after 8s.
        upstream.behave(this::heldUntilTheEnd);
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(8), noRetry());
        Poll.until(Duration.ofSeconds(5), "the poll reached the upstream", () -> upstream.requests().size() == 1);
        long sent = upstream.requests().get(0).receivedNanos();
        fixture.metrics(exporter); // warm-up: the first request of a fresh server is slow for reasons of its own

        long before = System.nanoTime();
        String during = fixture.metrics(exporter);
        long scrapeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);

        // Far below the 8s the upstream is held at least: the scrape does not wait for the poll.
        assertThat(scrapeMillis).as("scrape while the poll hangs, ms").isLessThan(3000);
        assertThat(fixture.account(exporter, "hq").polled()).as("the poll still hangs after the scrape").isFalse();
        assertThat(during).contains("crc_up{account=\"hq\"} 0.0");
        awaitError(exporter, FailureReason.TIMEOUT);
        long abandonedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        assertThat(release.getCount()).as("abandoned while the upstream still held its answer").isEqualTo(1);
        assertThat(abandonedAfter).as("abandoned at the timeout, not before, ms").isGreaterThanOrEqualTo(7500);
        assertThat(fixture.metrics(exporter))
                .contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"timeout\"} 1.0");
        awaitWarning("timeout", "no complete answer within 8000ms");
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
        URI refused = URI.create("http://127.0.0.1:" + Ports.free() + FakeCrcApi.PATH);
        Exporter exporter = fixture.start(config(refused, Duration.ofHours(1), Duration.ofSeconds(5), 8, noRetry(), account("hq")), CLOCK);

        awaitError(exporter, FailureReason.CONNECT);
        assertThat(fixture.metrics(exporter)).contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"connect\"} 1.0")
                .contains("crc_up{account=\"hq\"} 0.0");
        awaitWarning("connect", "ConnectException");
    }

    @Test
    void unresolvableHostIsCountedAsConnect() {
        URI nowhere = URI.create("http://nonexistent.invalid" + FakeCrcApi.PATH);
        // A timeout far beyond what a resolver without a network takes to give up: the failure is the name, not the time.
        Exporter exporter = fixture.start(config(nowhere, Duration.ofHours(1), Duration.ofSeconds(15), 8, noRetry(), account("hq")), CLOCK);

        Poll.until(Duration.ofSeconds(30), "the poll ended", () -> fixture.account(exporter, "hq").polled());
        assertThat(fixture.account(exporter, "hq").errors()).containsEntry(FailureReason.CONNECT, 1L)
                .containsEntry(FailureReason.TIMEOUT, 0L);
        assertThat(fixture.metrics(exporter)).contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"connect\"} 1.0");
        awaitWarning("connect", "account=hq");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 404, 401, 301, 204})
    void nonSuccessHttpStatusIsCountedWithTheCodeInTheLog(int status) {
        upstream.behave(request -> new Response(status, Map.of(), status == 204 ? "" : "upstream says no", Duration.ZERO));
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
        upstream.account("key-branch", SECRET, List.of(day("2026-11-26", 4)));
        upstream.behave(request -> request.apiKey().equals("key-hq") && calls.getAndIncrement() == 0
                ? new Response(429, Map.of("Retry-After", "2"), "slow down", Duration.ZERO)
                : upstream.documentedAnswer(request));
        // Polls every second without retries: only the per-account wait can hold hq back. The timeout is far beyond
        // what a loopback answer takes, so that the 429 is what hq's first request gets.
        Exporter exporter = fixture.start(config(upstream.url(), Duration.ofSeconds(1), Duration.ofMillis(900), 8, noRetry(),
                account("hq"), account("branch")), CLOCK);

        Poll.until(Duration.ofSeconds(20), "hq asked again", () -> upstream.requestsFor("key-hq") >= 2);
        List<Long> hq = upstream.arrivalsFor("key-hq");
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(hq.get(1) - hq.get(0));
        // At least the 2s asked for; not forever (the bound is for a loaded machine, the wait is 2s and a poll).
        assertThat(waitedMillis).as("no new request before Retry-After").isGreaterThanOrEqualTo(1950).isLessThan(15_000);
        long branchDuringTheWait = upstream.arrivalsFor("key-branch").stream()
                .filter(t -> t > hq.get(0) && t < hq.get(1)).count();
        // The scheduler runs at a fixed rate: one branch poll per second of the wait, two at least as it lasts 2s or more.
        assertThat(branchDuringTheWait).as("other accounts keep their schedule during the %d ms wait", waitedMillis)
                .isGreaterThanOrEqualTo(Math.max(2, waitedMillis / 1000 / 2));
        Poll.until(Duration.ofSeconds(10), "hq up again", () -> fixture.account(exporter, "hq").up());
        assertThat(errors(exporter, "hq", FailureReason.RATE_LIMITED)).isEqualTo(1);
        assertThat(warnLines("rate_limited")).anyMatch(l -> l.contains("HTTP 429 Too Many Requests, Retry-After 2s"));
    }

    @Test
    void rateLimitWithRetryAfterHttpDateIsRetriedAfterThatDate() {
        AtomicInteger calls = new AtomicInteger();
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(2).atOffset(ZoneOffset.UTC));
        upstream.behave(request -> calls.getAndIncrement() == 0
                ? new Response(429, Map.of("Retry-After", inTwoSeconds), "", Duration.ZERO)
                : upstream.documentedAnswer(request));
        // One poll per hour: the second request can only be the retry inside this poll.
        Exporter exporter = startHq(Duration.ofHours(1), Duration.ofSeconds(5),
                new RetryConfig(3, Duration.ofMillis(100), Duration.ofMillis(200)));

        Poll.until(Duration.ofSeconds(20), "hq up after the retry", () -> fixture.account(exporter, "hq").up());
        List<Long> hq = upstream.arrivalsFor("key-hq");
        assertThat(hq).hasSize(2);
        // At least the 2s to that date; the upper bound only says "waited for the date, not for the next hourly poll".
        assertThat(TimeUnit.NANOSECONDS.toMillis(hq.get(1) - hq.get(0))).isGreaterThanOrEqualTo(1950).isLessThan(15_000);
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
    void retriesNeverRunIntoTheNextPollInterval() {
        upstream.behave(request -> new Response(503, Map.of(), "maintenance", Duration.ZERO));
        // Ten attempts allowed, but backoff (200..400ms) plus timeout (700ms) fits at most once into 1s, and a second
        // retry never: at most two requests a poll. A 503 comes back at once, so a retry ends some 700ms before the
        // next poll is due: only a stall that long could make the polls overlap.
        Exporter exporter = startHq(Duration.ofSeconds(1), Duration.ofMillis(700),
                new RetryConfig(10, Duration.ofMillis(400), Duration.ofMillis(400)));

        Poll.until(Duration.ofSeconds(20), "five requests: three polls or more",
                () -> upstream.requestsFor("key-hq") >= 5);
        awaitWarning("http_status", "next=\"next poll interval\"");
        assertThat(warnLines("http_status")).as("no third attempt in a poll").noneMatch(l -> l.contains("attempt=3"));
        assertThat(logs.logfmtLines()).noneMatch(l -> l.contains("previous poll is still running"));
        assertThat(fixture.account(exporter, "hq").up()).isFalse();
    }

    @Test
    void hoursOfFailureKeepTheLastGoodDataWithItsAge() {
        MutableClock clock = new MutableClock(NOW);
        Exporter exporter = fixture.start(config(upstream.url(), Duration.ofMillis(500), Duration.ofMillis(450), 8, noRetry(),
                account("hq")), clock);
        Poll.until(Duration.ofSeconds(10), "hq up", () -> fixture.account(exporter, "hq").up());
        upstream.behave(request -> new Response(503, Map.of(), "maintenance", Duration.ZERO));
        // Polls of one account never overlap: once a poll has failed, no success in flight can land any more.
        Poll.until(Duration.ofSeconds(10), "a failed poll", () -> errors(exporter, "hq", FailureReason.HTTP_STATUS) >= 1);
        Instant lastGood = fixture.account(exporter, "hq").lastSuccess().orElseThrow();
        assertThat(lastGood).isEqualTo(NOW);

        for (int hour = 1; hour <= 3; hour++) { // 11:30, 12:30, 13:30 in Shanghai, the same day
            clock.advance(Duration.ofHours(1));
            long failedBefore = errors(exporter, "hq", FailureReason.HTTP_STATUS);
            Poll.until(Duration.ofSeconds(10), "another failed poll", () -> errors(exporter, "hq", FailureReason.HTTP_STATUS) > failedBefore);
        }

        String metrics = fixture.metrics(exporter);
        double lastSuccess = ExporterFixture.value(metrics, "crc_exporter_last_success_timestamp_seconds{account=\"hq\"}").orElseThrow();
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
        upstream.behave(request -> request.apiKey().equals("key-hang")
                ? upstream.documentedAnswer(request).delayed(Duration.ofSeconds(30))
                : upstream.documentedAnswer(request));
        long started = System.nanoTime();
        Exporter exporter = fixture.start(config(upstream.url(), Duration.ofMillis(600), Duration.ofMillis(500), 2, noRetry(),
                account("hang"), account("a"), account("b"), account("c")), CLOCK);

        Poll.until(Duration.ofSeconds(30), "five timed-out polls of the hanging account",
                () -> errors(exporter, "hang", FailureReason.TIMEOUT) >= 5);
        long windowMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        // Polls start at a fixed rate, one per 600ms (late ones catch up): windowMillis / 600 + 1 of each account are due
        // by now. Waiting for the hanging account's 500ms would stretch every round to 1100ms, and the others would have
        // about as few polls as it has; 70% of those due leaves slack for a loaded machine and still tells the two apart.
        long due = windowMillis / 600 + 1;
        for (String name : List.of("a", "b", "c")) {
            assertThat(upstream.requestsFor("key-" + name)).as("polls of %s in %d ms", name, windowMillis)
                    .isGreaterThanOrEqualTo(Math.max(4, due * 7 / 10));
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
        Exporter exporter = fixture.start(config(upstream.url(), Duration.ofHours(1), Duration.ofSeconds(5), 2, noRetry(),
                names.stream().map(UpstreamFaultsIT::account).toArray(AccountConfig[]::new)), CLOCK);

        fixture.awaitReady(exporter, Duration.ofSeconds(10));
        assertThat(upstream.maxConcurrentRequests()).isEqualTo(2);
        assertThat(names).allMatch(n -> fixture.account(exporter, n).up());
    }
}
