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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poller against a fake API on loopback: time is read when a poll runs, not when it is queued, retries fit
 * between rounds, a Retry-After is honoured, and an exporter bug is not counted as the API's fault. Rounds, retries
 * and durations run on {@link ManualPollThreads}, whose time moves only when the test (or the fake, while it answers)
 * moves it: what a test says of time is exact, whatever the load of the machine.
 */
class PollerTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 23:59:30 on 2026-11-26 in Shanghai. */
    private static final Instant BEFORE_MIDNIGHT = Instant.parse("2026-11-26T15:59:30Z");
    private static final LocalDate OLD_TODAY = LocalDate.of(2026, 11, 26);
    private static final LocalDate NEW_TODAY = LocalDate.of(2026, 11, 27);
    private static final Duration BOUND = Duration.ofSeconds(15);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ManualPollThreads threads = new ManualPollThreads();

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
        return new ExporterConfig(api.url(), RequestMethod.POST, SHANGHAI, interval, timeout, concurrency, retry,
                accounts, ZoomConfig.DEFAULT);
    }

    private Poller start(ExporterConfig config, SnapshotStore store, Clock clock) {
        UsageSources sources = new UsageSources(config, clock);
        toClose.add(sources);
        Poller poller = new Poller(config, sources, store, clock, threads);
        toClose.add(poller);
        poller.start();
        threads.advance(Duration.ZERO); // the first round is due at once
        return poller;
    }

    /** The poller's time, since the test started it. */
    private Duration now() {
        return Duration.ofNanos(threads.nanoTime());
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
        start(config(api, Duration.ofMinutes(5), Duration.ofSeconds(30), 1, new RetryConfig(1, Duration.ofMillis(50),
                Duration.ofMillis(50)), List.of(account("first"), account("late"))), store, clock);

        threads.awaitIdle();

        Request late = api.requests().stream().filter(r -> r.apiKey().equals("key-late")).findFirst().orElseThrow();
        assertThat(late.params()).containsEntry("from", OLD_TODAY.toString())
                .containsEntry("to", NEW_TODAY.plusDays(1).toString());
        assertThat(snapshot(store, "late").usage()).extracting(DailyUsage::date).containsExactly(OLD_TODAY, NEW_TODAY);
        Request first = api.requests().stream().filter(r -> r.apiKey().equals("key-first")).findFirst().orElseThrow();
        assertThat(first.params()).as("the poll that ran before midnight")
                .containsEntry("from", OLD_TODAY.minusDays(1).toString());
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
        start(config(api, Duration.ofMinutes(5), Duration.ofSeconds(30), 1, new RetryConfig(2, Duration.ofMillis(50),
                Duration.ofMillis(50)), List.of(account("hq"))), store, clock);

        awaitRetryScheduled();
        threads.runNext();
        threads.awaitIdle();

        assertThat(snapshot(store, "hq").up()).as("the retry succeeded").isTrue();
        List<Request> sent = api.requests();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).params()).containsEntry("from", OLD_TODAY.minusDays(1).toString());
        assertThat(sent.get(1).params()).containsEntry("from", OLD_TODAY.toString())
                .containsEntry("to", NEW_TODAY.plusDays(1).toString());
        // The old window would have kept the 25th and the 26th, and reported yesterday's data as today's.
        assertThat(snapshot(store, "hq").usage()).extracting(DailyUsage::date).containsExactly(OLD_TODAY, NEW_TODAY);
    }

    /** Waits for a retry to be scheduled beside the next round (it is, once the failed attempt has been recorded). */
    private void awaitRetryScheduled() {
        Poll.until(BOUND, "a retry scheduled beside the next round", () -> threads.waiting() == 2);
    }

    @Test
    void theDurationOfAQueuedPollStartsWhenItRuns() throws Exception {
        // One worker: "queued" waits while "slow" is answered, which takes 1.5 s.
        FakeCrcApi api = api(request -> {
            if (request.apiKey().equals("key-slow")) {
                threads.advance(Duration.ofMillis(1500));
            }
            return oldAndNewDay();
        });
        SnapshotStore store = new SnapshotStore(List.of(account("slow"), account("queued")));
        start(config(api, Duration.ofMinutes(5), Duration.ofSeconds(30), 1, new RetryConfig(1, Duration.ofMillis(50),
                Duration.ofMillis(50)), List.of(account("slow"), account("queued"))), store, Clock.systemUTC());
        threads.awaitIdle();

        assertThat(snapshot(store, "slow").lastDuration()).hasValue(Duration.ofMillis(1500));
        // It waited 1.5 s for the worker; its own request took no time.
        assertThat(snapshot(store, "queued").lastDuration()).hasValue(Duration.ZERO);
    }

    @Test
    void aPollThatWaitedPastARoundMayStillRetryBeforeTheNextOne() throws Exception {
        // Interval 4 min, timeout 2 min, one worker. The three "slow" accounts take 1.4 min each to answer first,
        // so "victim" runs at 4.2 min, just after the round due at 4 min, which skipped it as it was still queued.
        // Its first request fails; a retry (at most 50 ms of backoff, 2 min of timeout, a margin of 1 s) ends before
        // the round due at 8 min. With the deadline fixed when the poll was queued (at 0, so the round at 4 min), it
        // was refused.
        Map<String, List<Duration>> sentAt = new ConcurrentHashMap<>();
        FakeCrcApi api = api(request -> {
            List<Duration> times = sentAt.computeIfAbsent(request.apiKey(), k -> new CopyOnWriteArrayList<>());
            times.add(now());
            if (request.apiKey().equals("key-victim")) {
                return times.size() == 1 ? new Response(500, Map.of(), "busy", Duration.ZERO) : oldAndNewDay();
            }
            if (times.size() == 1) {
                threads.advance(Duration.ofSeconds(84));
            }
            return oldAndNewDay();
        });
        List<AccountConfig> accounts = List.of(account("slow1"), account("slow2"), account("slow3"), account("victim"));
        SnapshotStore store = new SnapshotStore(accounts);
        Duration backoff;
        try (LogCapture logs = new LogCapture()) {
            start(config(api, Duration.ofMinutes(4), Duration.ofMinutes(2), 1, new RetryConfig(2, Duration.ofMillis(50),
                    Duration.ofMillis(50)), accounts), store, Clock.systemUTC());

            awaitRetryScheduled();
            backoff = threads.runNext();
            threads.awaitIdle();

            assertThat(logs.logfmtLines()).as("the round due at 4 min skipped slow3 and victim")
                    .anyMatch(l -> l.contains("skipped=2"));
        }
        Duration firstSent = Duration.ofSeconds(3 * 84);
        assertThat(sentAt.get("key-victim")).containsExactly(firstSent, firstSent.plus(backoff));
        assertThat(backoff).as("equal jitter of 50 ms").isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
        assertThat(snapshot(store, "victim").up()).as("up after its retry").isTrue();
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
            threads.advance(Duration.ofMillis(200));

            List<String> skipped = logs.logfmtLines().stream().filter(l -> l.contains("poll skipped")).toList();
            assertThat(skipped).hasSize(2).allSatisfy(line -> assertThat(line).contains("level=warn",
                    "msg=\"poll skipped: the previous poll is still running\"", "skipped=3", "accounts=3",
                    "poll_interval=100ms", "timeout=30s", "concurrency=8", "raise poll_interval", "--shard=I/N")
                    .doesNotContain("account="));
            Poll.until(BOUND, "the three requests of the first round", () -> api.requests().size() == 3);
            threads.advance(Duration.ofMillis(100));
            assertThat(api.requests()).as("one request per account: none piled up").hasSize(3);
        }
    }

    @Test
    void anAccountAskedToWaitIsLeftAloneThatLongWhileTheOthersKeepTheirRounds() throws Exception {
        AtomicInteger hqRequests = new AtomicInteger();
        FakeCrcApi api = api(request -> request.apiKey().equals("key-hq") && hqRequests.getAndIncrement() == 0
                ? new Response(429, Map.of("Retry-After", "2"), "slow down", Duration.ZERO) : oldAndNewDay());
        List<AccountConfig> accounts = List.of(account("hq"), account("branch"));
        SnapshotStore store = new SnapshotStore(accounts);
        // Polls every second without retries: only the wait asked for can hold hq back.
        start(config(api, Duration.ofSeconds(1), Duration.ofSeconds(30), 8, new RetryConfig(1, Duration.ofMillis(10),
                Duration.ofMillis(10)), accounts), store, Clock.systemUTC());
        threads.awaitIdle();
        assertThat(snapshot(store, "hq").errorCounts()).containsEntry(FailureReason.RATE_LIMITED, 1L);

        threads.advance(Duration.ofMillis(1999));
        threads.awaitIdle();
        assertThat(api.requestsFor("key-hq")).as("hq within the 2 s asked for").isEqualTo(1);
        assertThat(api.requestsFor("key-branch")).as("branch at 0 s and 1 s").isEqualTo(2);

        threads.advance(Duration.ofMillis(1));
        threads.awaitIdle();
        assertThat(api.requestsFor("key-hq")).as("hq at 2 s").isEqualTo(2);
        assertThat(snapshot(store, "hq").up()).isTrue();
    }

    @Test
    void aRetryWaitsForRetryAfterWhenThatIsLongerThanTheBackoff() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        FakeCrcApi api = api(request -> requests.getAndIncrement() == 0
                ? new Response(429, Map.of("Retry-After", "7"), "", Duration.ZERO) : oldAndNewDay());
        SnapshotStore store = new SnapshotStore(List.of(account("hq")));
        start(config(api, Duration.ofHours(1), Duration.ofSeconds(30), 1, new RetryConfig(3, Duration.ofMillis(100),
                Duration.ofMillis(200)), List.of(account("hq"))), store, Clock.systemUTC());

        awaitRetryScheduled();
        assertThat(threads.runNext()).as("the retry's delay").isEqualTo(Duration.ofSeconds(7));
        threads.awaitIdle();
        assertThat(api.requests()).hasSize(2);
        assertThat(snapshot(store, "hq").up()).isTrue();
    }

    @Test
    void retriesBackOffExponentiallyWithJitterAndStopAtMaxAttempts() throws Exception {
        FakeCrcApi api = api(request -> new Response(503, Map.of(), "maintenance", Duration.ZERO));
        SnapshotStore store = new SnapshotStore(List.of(account("hq")));
        start(config(api, Duration.ofHours(1), Duration.ofSeconds(30), 1, new RetryConfig(4, Duration.ofMillis(200),
                Duration.ofMillis(500)), List.of(account("hq"))), store, Clock.systemUTC());

        List<Duration> delays = new ArrayList<>();
        for (int retry = 1; retry <= 3; retry++) {
            awaitRetryScheduled();
            delays.add(threads.runNext());
        }
        threads.awaitIdle();

        // "Equal jitter": between half and all of 200 ms, 400 ms, and 800 ms capped at 500 ms.
        assertThat(delays.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(delays.get(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(delays.get(2)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        assertThat(threads.waiting()).as("no retry after the fourth attempt, only the next round").isEqualTo(1);
        assertThat(api.requests()).hasSize(4);
        assertThat(snapshot(store, "hq").errorCounts()).containsEntry(FailureReason.HTTP_STATUS, 4L);
        assertThat(snapshot(store, "hq").polled()).isTrue();
    }

    @Test
    void aRetryThatCouldRunIntoTheNextRoundIsNotSent() throws Exception {
        // Interval 10 s, timeout 4 s, backoff at most 2 ms, margin 1 s; each failed answer takes 3 s. The retry after
        // the failure at 3 s ends by 8 s at the latest: sent. One after the failure at 6 s could end at 11 s: not sent,
        // and the round at 10 s polls as usual.
        List<Duration> sentAt = new CopyOnWriteArrayList<>();
        FakeCrcApi api = api(request -> {
            sentAt.add(now());
            threads.advance(Duration.ofSeconds(3));
            return new Response(503, Map.of(), "maintenance", Duration.ZERO);
        });
        SnapshotStore store = new SnapshotStore(List.of(account("hq")));
        try (LogCapture logs = new LogCapture()) {
            start(config(api, Duration.ofSeconds(10), Duration.ofSeconds(4), 1, new RetryConfig(10,
                    Duration.ofMillis(2), Duration.ofMillis(2)), List.of(account("hq"))), store, Clock.systemUTC());
            awaitRetryScheduled();
            threads.runNext();
            threads.awaitIdle();
            assertThat(threads.waiting()).as("only the next round").isEqualTo(1);
            assertThat(logs.logfmtLines())
                    .anyMatch(l -> l.contains("attempt=2") && l.contains("next=\"next poll interval\""));

            threads.runNext();
            threads.awaitIdle();
            assertThat(logs.logfmtLines()).noneMatch(l -> l.contains("previous poll is still running"));
        }
        assertThat(sentAt).hasSize(3);
        assertThat(sentAt.get(1)).isBetween(Duration.ofMillis(3001), Duration.ofMillis(3002));
        assertThat(sentAt.get(2)).as("the round due at 10 s").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aReloadKeepsTheRoundOfAccountsThatStayAndANewIntervalAppliesFromTheRoundDueNext() throws Exception {
        Map<String, List<Duration>> sentAt = new ConcurrentHashMap<>();
        FakeCrcApi api = api(request -> {
            sentAt.computeIfAbsent(request.apiKey(), k -> new CopyOnWriteArrayList<>()).add(now());
            return oldAndNewDay();
        });
        Function<Duration, Function<List<AccountConfig>, ExporterConfig>> every = interval -> accounts -> config(api,
                interval, Duration.ofSeconds(30), 2, new RetryConfig(1, Duration.ofMillis(10), Duration.ofMillis(10)),
                accounts);
        SnapshotStore store = new SnapshotStore(List.of(account("hq")));
        Poller poller = start(every.apply(Duration.ofSeconds(3)).apply(List.of(account("hq"))), store,
                Clock.systemUTC());
        threads.awaitIdle();

        advanceInSteps(Duration.ofSeconds(1), 1);
        // Three reloads within the first interval, each with changes: none polls hq again or moves its round.
        AccountConfig hq = account("hq");
        poller.apply(every.apply(Duration.ofSeconds(3)).apply(List.of(hq, account("new"))));
        threads.awaitIdle(); // new's poll sent before the next reload removes it
        poller.apply(every.apply(Duration.ofSeconds(3)).apply(List.of(new AccountConfig("hq", hq.credentials(),
                OptionalInt.of(4), Optional.empty()))));
        poller.apply(every.apply(Duration.ofSeconds(3)).apply(List.of(new AccountConfig("hq", hq.credentials(),
                OptionalInt.of(5), Optional.empty()))));
        threads.awaitIdle();
        advanceInSteps(Duration.ofMillis(500), 11); // to 6.5 s
        poller.apply(every.apply(Duration.ofMillis(1500)).apply(List.of(hq)));
        advanceInSteps(Duration.ofMillis(500), 11); // to 12 s

        assertThat(sentAt.get("key-hq")).as("hq every 3 s, then every 1.5 s from the round due after the change")
                .containsExactly(Duration.ZERO, Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(9),
                        Duration.ofMillis(10_500), Duration.ofSeconds(12));
        assertThat(sentAt.get("key-new")).as("a new account at once").containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aRetryPendingForAnAccountRemovedOrChangedMeanwhileIsNotSent() throws Exception {
        Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
        FakeCrcApi api = api(request -> {
            String key = request.apiKey() + "/" + request.params().get("api_secret");
            int n = byKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return n == 1 && List.of("key-apac/secret-apac", "key-lat/secret-lat").contains(key)
                    ? new Response(500, Map.of(), "busy", Duration.ZERO) : oldAndNewDay();
        });
        RetryConfig retry = new RetryConfig(2, Duration.ofSeconds(3), Duration.ofSeconds(3));
        List<AccountConfig> accounts = List.of(account("hq"), account("apac"), account("lat"));
        SnapshotStore store = new SnapshotStore(accounts);
        try (LogCapture logs = new LogCapture()) {
            Poller poller = start(config(api, Duration.ofHours(1), Duration.ofSeconds(30), 2, retry, accounts), store,
                    Clock.systemUTC());
            threads.awaitIdle();
            assertThat(threads.waiting()).as("the next round and two retries").isEqualTo(3);

            // apac removed; lat with a new secret is another account upstream, polled at once.
            AccountConfig newLat = new AccountConfig("lat", "key-lat", new Secret("secret-lat-2"), OptionalInt.of(40));
            poller.apply(config(api, Duration.ofHours(1), Duration.ofSeconds(30), 2, retry, List.of(account("hq"),
                    newLat)));
            threads.awaitIdle();
            threads.advance(Duration.ofSeconds(3));
            threads.awaitIdle();

            assertThat(logs.logfmtLines().stream().filter(l -> l.contains("poll dropped: the account was reloaded")))
                    .hasSize(2);
        }
        // One request each: the retries of apac and of lat's old secret were not sent.
        assertThat(byKey).containsOnlyKeys("key-hq/secret-hq", "key-apac/secret-apac", "key-lat/secret-lat",
                "key-lat/secret-lat-2").allSatisfy((key, requests) -> assertThat(requests).as(key).hasValue(1));
    }

    /** Moves time on {@code times} steps of {@code step}, letting the polls of each step end before the next. */
    private void advanceInSteps(Duration step, int times) {
        for (int i = 0; i < times; i++) {
            threads.advance(step);
            threads.awaitIdle();
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
            start(config(api, Duration.ofMinutes(1), Duration.ofSeconds(30), 1, new RetryConfig(3,
                    Duration.ofMillis(10), Duration.ofMillis(10)), List.of(account("hq"))), store, clock);

            threads.awaitIdle();
            AccountSnapshot failed = snapshot(store, "hq");
            assertThat(failed.polled()).isTrue();
            assertThat(failed.up()).isFalse();
            assertThat(failed.errorCounts().get(FailureReason.MALFORMED)).isZero();
            assertThat(failed.lastError()).hasValueSatisfying(e -> assertThat(e.message())
                    .contains("NoClassDefFoundError").doesNotContain("secret-hq"));
            assertThat(api.requests()).as("no request, no retry of a bug").isEmpty();

            threads.advance(Duration.ofMinutes(1));
            threads.awaitIdle();
            assertThat(snapshot(store, "hq").up()).as("the next poll succeeded").isTrue();
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
        start(config(api, Duration.ofMinutes(5), Duration.ofSeconds(30), 1, new RetryConfig(3, Duration.ofMillis(10),
                Duration.ofMillis(10)), List.of(account("hq"))), store, clock);

        threads.awaitIdle();
        assertThat(snapshot(store, "hq").polled()).isTrue();
        assertThat(snapshot(store, "hq").errorCounts()).containsEntry(FailureReason.INTERNAL, 1L)
                .containsEntry(FailureReason.MALFORMED, 0L);
    }
}
