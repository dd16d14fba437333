package dev.crcexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Request;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.MutableClock;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import dev.crcexporter.upstream.HourUsage;
import dev.crcexporter.upstream.UsageSources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poller against a fake API on loopback: time is read when a poll runs, not when it is queued, and an
 * exporter bug is not counted as the API's fault.
 */
class PollerTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 23:59:30 on 2026-11-26 in Shanghai. */
    private static final Instant BEFORE_MIDNIGHT = Instant.parse("2026-11-26T15:59:30Z");
    private static final LocalDate OLD_TODAY = LocalDate.of(2026, 11, 26);
    private static final LocalDate NEW_TODAY = LocalDate.of(2026, 11, 27);
    private static final Duration BOUND = Duration.ofSeconds(15);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static AccountConfig account(String name) {
        return new AccountConfig(name, "key-" + name, new Secret("secret-" + name), OptionalInt.of(40));
    }

    private static ExporterConfig config(FakeCrcApi api, Duration interval, Duration timeout, int concurrency,
            RetryConfig retry, List<AccountConfig> accounts) {
        return new ExporterConfig(api.url(), RequestMethod.POST, SHANGHAI, interval, timeout, concurrency, retry, accounts, ZoomConfig.DEFAULT);
    }

    private Poller start(ExporterConfig config, SnapshotStore store, Clock clock) {
        UsageSources sources = new UsageSources(config, clock);
        toClose.add(sources);
        Poller poller = new Poller(config, sources, store, clock);
        toClose.add(poller);
        poller.start();
        return poller;
    }

    /** The snapshot of the account in force under that name. */
    private static AccountSnapshot snapshot(SnapshotStore store, String account) {
        return store.slots().get(account).get();
    }

    private FakeCrcApi api(Function<Request, Response> behaviour) throws Exception {
        FakeCrcApi api = new FakeCrcApi();
        toClose.add(api);
        api.behave(behaviour);
        return api;
    }

    /** A full old day and the first hour of the new one: whatever the request asked for, as an API may answer. */
    private static Response oldAndNewDay() {
        List<HourUsage> fullDay = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            fullDay.add(new HourUsage(h, 10, 20));
        }
        return Response.json(ApiAnswers.success(List.of(new DailyUsage(OLD_TODAY.minusDays(1), fullDay),
                new DailyUsage(OLD_TODAY, fullDay), new DailyUsage(NEW_TODAY, List.of(new HourUsage(0, 7, 9))))));
    }

    @Test
    void aPollQueuedBeforeMidnightAsksForTheDaysOfWhenItRuns() throws Exception {
        MutableClock clock = new MutableClock(BEFORE_MIDNIGHT);
        // One worker: "late" waits in the queue while "first" is answered, and midnight passes meanwhile.
        FakeCrcApi api = api(request -> {
            if (request.apiKey().equals("key-first")) {
                clock.advance(Duration.ofMinutes(1));
            }
            return oldAndNewDay();
        });
        SnapshotStore store = new SnapshotStore(List.of(account("first"), account("late")));
        start(config(api, Duration.ofMinutes(5), Duration.ofSeconds(5), 1, new RetryConfig(1, Duration.ofMillis(50),
                Duration.ofMillis(50)), List.of(account("first"), account("late"))), store, clock);

        Poll.until(BOUND, "both accounts polled", () -> snapshot(store, "late").polled() && snapshot(store, "first").polled());

        Request late = api.requests().stream().filter(r -> r.apiKey().equals("key-late")).findFirst().orElseThrow();
        assertThat(late.params()).containsEntry("from", OLD_TODAY.toString()).containsEntry("to", NEW_TODAY.plusDays(1).toString());
        assertThat(snapshot(store, "late").usage()).extracting(DailyUsage::date).containsExactly(OLD_TODAY, NEW_TODAY);
        Request first = api.requests().stream().filter(r -> r.apiKey().equals("key-first")).findFirst().orElseThrow();
        assertThat(first.params()).as("the poll that ran before midnight").containsEntry("from", OLD_TODAY.minusDays(1).toString());
    }

    @Test
    void aRetryAfterMidnightAsksForAndKeepsTheNewDays() throws Exception {
        MutableClock clock = new MutableClock(BEFORE_MIDNIGHT);
        AtomicInteger requests = new AtomicInteger();
        FakeCrcApi api = api(request -> {
            if (requests.incrementAndGet() == 1) {
                clock.advance(Duration.ofMinutes(1)); // midnight passes while the first attempt fails
                return new Response(500, Map.of(), "busy", Duration.ZERO);
            }
            return oldAndNewDay();
        });
        SnapshotStore store = new SnapshotStore(List.of(account("hq")));
        start(config(api, Duration.ofMinutes(5), Duration.ofSeconds(5), 1, new RetryConfig(2, Duration.ofMillis(50),
                Duration.ofMillis(50)), List.of(account("hq"))), store, clock);

        Poll.until(BOUND, "the retry succeeded", () -> snapshot(store, "hq").up());

        List<Request> sent = api.requests();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).params()).containsEntry("from", OLD_TODAY.minusDays(1).toString());
        assertThat(sent.get(1).params()).containsEntry("from", OLD_TODAY.toString())
                .containsEntry("to", NEW_TODAY.plusDays(1).toString());
        // The old window would have kept the 25th and the 26th, and reported yesterday's data as today's.
        assertThat(snapshot(store, "hq").usage()).extracting(DailyUsage::date).containsExactly(OLD_TODAY, NEW_TODAY);
    }

    @Test
    void theDurationOfAQueuedPollStartsWhenItRuns() throws Exception {
        FakeCrcApi api = api(request -> request.apiKey().equals("key-slow")
                ? oldAndNewDay().delayed(Duration.ofMillis(1500)) : oldAndNewDay());
        SnapshotStore store = new SnapshotStore(List.of(account("slow"), account("queued")));
        start(config(api, Duration.ofMinutes(5), Duration.ofSeconds(5), 1, new RetryConfig(1, Duration.ofMillis(50),
                Duration.ofMillis(50)), List.of(account("slow"), account("queued"))), store, Clock.systemUTC());

        Poll.until(BOUND, "both polled", () -> snapshot(store, "slow").polled() && snapshot(store, "queued").polled());

        assertThat(snapshot(store, "slow").lastDuration()).hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(1500)));
        // It waited 1.5 s for the worker; its own request took milliseconds.
        assertThat(snapshot(store, "queued").lastDuration()).hasValueSatisfying(d -> assertThat(d).isLessThan(Duration.ofMillis(1000)));
    }

    @Test
    void aPollThatWaitedPastAScheduledPollMayStillRetryBeforeTheNextOne() throws Exception {
        // Interval 4 s, timeout 2 s, one worker. Three "slow" accounts hold the worker until about 4.1 s after the
        // first request (each answer takes at most 1.8 s, within the timeout), so "victim" runs just after the
        // poll due at 4 s, which skipped it as it was still queued. Its first request fails; a retry (50 ms
        // backoff + 2 s timeout + 0.4 s margin) fits before the poll due at 8 s. With the deadline fixed when the
        // poll was queued (at 0 s, so 4 s), the retry was refused.
        Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
        AtomicReference<Long> firstArrival = new AtomicReference<>();
        FakeCrcApi api = api(request -> {
            firstArrival.compareAndSet(null, request.receivedNanos());
            int n = byKey.computeIfAbsent(request.apiKey(), k -> new AtomicInteger()).incrementAndGet();
            if (request.apiKey().equals("key-victim")) {
                return n == 1 ? new Response(500, Map.of(), "busy", Duration.ZERO) : oldAndNewDay();
            }
            long untilTick = firstArrival.get() + Duration.ofMillis(4100).toNanos() - System.nanoTime();
            return n == 1 ? oldAndNewDay().delayed(Duration.ofNanos(Math.max(0, Math.min(untilTick, 1_800_000_000L))))
                    : oldAndNewDay();
        });
        List<AccountConfig> accounts = List.of(account("slow1"), account("slow2"), account("slow3"), account("victim"));
        SnapshotStore store = new SnapshotStore(accounts);
        start(config(api, Duration.ofSeconds(4), Duration.ofSeconds(2), 1, new RetryConfig(2, Duration.ofMillis(50),
                Duration.ofMillis(50)), accounts), store, Clock.systemUTC());

        List<Long> arrivals = Poll.until(BOUND, Duration.ofMillis(20), "two requests of victim",
                () -> api.arrivalsFor("key-victim"), a -> a.size() >= 2, () -> "");

        assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(0) - firstArrival.get()))
                .as("victim's first request came after the poll due at 4 s").isGreaterThanOrEqualTo(4000);
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(arrivals.get(1) - arrivals.get(0));
        // A retry follows in about 50 ms; the next scheduled poll would come about 3.9 s later.
        assertThat(gapMillis).as("ms between the failed request and the next one").isLessThan(1500);
        Poll.until(BOUND, "victim up after its retry", () -> snapshot(store, "victim").up());
    }

    @Test
    void accountsSkippedBecauseTheirPollStillRunsAreOneLinePerRound() throws Exception {
        // The upstream holds every answer until the test ends: each round after the first finds all three running.
        CountDownLatch release = new CountDownLatch(1);
        FakeCrcApi api = api(request -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return oldAndNewDay();
        });
        toClose.add(release::countDown); // before the fake closes
        List<AccountConfig> accounts = List.of(account("a"), account("b"), account("c"));
        try (LogCapture logs = new LogCapture()) {
            start(config(api, Duration.ofMillis(100), Duration.ofSeconds(30), 8, new RetryConfig(1,
                    Duration.ofMillis(10), Duration.ofMillis(10)), accounts), new SnapshotStore(accounts),
                    Clock.systemUTC());

            List<String> skipped = Poll.until(BOUND, Duration.ofMillis(20), "two rounds that skipped",
                    () -> logs.logfmtLines().stream().filter(l -> l.contains("poll skipped")).toList(),
                    lines -> lines.size() >= 2, () -> "");

            assertThat(skipped).allSatisfy(line -> assertThat(line).contains("level=warn",
                    "msg=\"poll skipped: the previous poll is still running\"", "skipped=3", "accounts=3",
                    "poll_interval=100ms", "timeout=30s", "concurrency=8", "raise poll_interval", "--shard=I/N")
                    .doesNotContain("account="));
            assertThat(api.requests()).as("one request per account: none piled up").hasSize(3);
        }
    }

    /** A clock that throws, once, at the next read, what it is given (made there, so its stack is the poll's). */
    private static final class FailingClock extends Clock {
        private final AtomicReference<Supplier<Throwable>> next = new AtomicReference<>();

        void failNextRead(Supplier<Throwable> error) {
            next.set(error);
        }

        @Override
        public Instant instant() {
            Supplier<Throwable> failure = next.getAndSet(null);
            Throwable error = failure == null ? null : failure.get();
            if (error instanceof Error e) {
                throw e;
            }
            if (error instanceof RuntimeException e) {
                throw e;
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void anErrorInsideThePollIsCountedAsInternalAndLoggedAtError() throws Exception {
        FakeCrcApi api = api(request -> oldAndNewDay());
        FailingClock clock = new FailingClock();
        // The clock read at the start of the poll stands in for any bug inside a poll: a class that fails to
        // load, a recursion too deep. The message carries the secret, as a careless one might.
        clock.failNextRead(() -> new NoClassDefFoundError("dev/crcexporter/Missing while handling secret-hq"));
        SnapshotStore store = new SnapshotStore(List.of(account("hq")));
        try (LogCapture logs = new LogCapture()) {
            start(config(api, Duration.ofSeconds(1), Duration.ofMillis(500), 1, new RetryConfig(3, Duration.ofMillis(10),
                    Duration.ofMillis(10)), List.of(account("hq"))), store, clock);

            Poll.until(BOUND, "the internal error is counted", () -> snapshot(store, "hq").errorCounts().get(FailureReason.INTERNAL) == 1);
            AccountSnapshot failed = snapshot(store, "hq");
            assertThat(failed.polled()).isTrue();
            assertThat(failed.up()).isFalse();
            assertThat(failed.errorCounts().get(FailureReason.MALFORMED)).isZero();
            assertThat(failed.lastError()).hasValueSatisfying(e -> assertThat(e.message()).contains("NoClassDefFoundError")
                    .doesNotContain("secret-hq"));
            assertThat(api.requests()).as("no request, no retry of a bug").isEmpty();

            Poll.until(BOUND, "the next poll succeeds", () -> snapshot(store, "hq").up());
            List<String> errors = logs.logfmtLines().stream().filter(l -> l.contains("level=error")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).contains("account=hq", "reason=internal", "java.lang.NoClassDefFoundError",
                    "dev/crcexporter/Missing", "Poller$PollRun.attempt");
            assertThat(logs.lines()).noneMatch(l -> l.contains("secret-hq"));
        }
        assertThat(snapshot(store, "hq").errorCounts().get(FailureReason.INTERNAL)).isEqualTo(1);
    }

    @Test
    void aRuntimeExceptionInsideThePollIsInternalToo() throws Exception {
        FakeCrcApi api = api(request -> oldAndNewDay());
        FailingClock clock = new FailingClock();
        clock.failNextRead(() -> new IllegalStateException("unexpected"));
        SnapshotStore store = new SnapshotStore(List.of(account("hq")));
        start(config(api, Duration.ofMinutes(5), Duration.ofSeconds(1), 1, new RetryConfig(3, Duration.ofMillis(10),
                Duration.ofMillis(10)), List.of(account("hq"))), store, clock);

        Poll.until(BOUND, "the internal error is counted", () -> snapshot(store, "hq").polled());
        assertThat(snapshot(store, "hq").errorCounts()).containsEntry(FailureReason.INTERNAL, 1L).containsEntry(FailureReason.MALFORMED, 0L);
    }
}
