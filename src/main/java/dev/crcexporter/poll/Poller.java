package dev.crcexporter.poll;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Durations;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import dev.crcexporter.upstream.RetryPolicy;
import dev.crcexporter.upstream.UpstreamException;
import dev.crcexporter.upstream.UsageSource;
import dev.crcexporter.upstream.UsageSources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every account on one schedule. Each poll asks the account's {@link UsageSource} for yesterday and today
 * (in the account's zone) in one request; a
 * failed request is retried with exponential backoff and jitter while the poll interval allows.
 * At most {@code concurrency} requests run at once, so one slow account never holds up the rest,
 * and an account whose previous poll is still running is skipped rather than piled up (one line per round says how
 * many were, and what would help).
 *
 * <p>{@link #apply} puts a reloaded configuration in force between two rounds of polls (see {@link SnapshotStore}
 * for what a poll in flight across a reload does).
 */
public final class Poller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    /** The configuration in force and what follows from it; replaced whole by a reload. */
    private record Plan(ExporterConfig config, RetryPolicy retryPolicy) {
        Plan(ExporterConfig config) {
            this(config, new RetryPolicy(config.retry()));
        }
    }

    private volatile Plan plan;
    private final UsageSources sources;
    private final SnapshotStore store;
    private final Clock clock;
    private final PollThreads threads;
    /** Accounts (their slots: a replaced account is another one) whose poll or retry is running or queued. */
    private final Map<SnapshotStore.Slot, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final Rounds rounds;
    private static final Duration RETRY_MARGIN = Duration.ofSeconds(1);
    /** Stack frames an internal error's log line shows. */
    private static final int INTERNAL_ERROR_FRAMES = 5;
    /**
     * Accounts the API asked (Retry-After) to leave alone until then, in the {@link PollThreads#nanoTime()}:
     * waits and deadlines are measured on the monotonic clock, so a wall-clock step (NTP, a fixed test clock) neither
     * freezes an account nor lets it hammer the API.
     */
    private final Map<SnapshotStore.Slot, Long> notBeforeNanos = new ConcurrentHashMap<>();

    public Poller(ExporterConfig config, UsageSources sources, SnapshotStore store, Clock clock) {
        this(config, sources, store, clock, PollThreads.daemons());
    }

    /** @param clock the dates asked for and the times stored; {@code threads} run the polls and time them */
    Poller(ExporterConfig config, UsageSources sources, SnapshotStore store, Clock clock, PollThreads threads) {
        this.plan = new Plan(config);
        this.sources = sources;
        this.store = store;
        this.clock = clock;
        this.threads = threads;
        threads.resizeWorkers(workerThreads(config));
        this.rounds = new Rounds(threads, this::pollAll);
    }

    /** At least one thread: a shard may have no accounts at all (see Shard). */
    private static int workerThreads(ExporterConfig config) {
        return Math.max(1, Math.min(config.concurrency(), config.accounts().size()));
    }

    /** Polls every account now, then every poll interval. */
    public synchronized void start() {
        rounds.start(plan.config().pollInterval());
    }

    /**
     * Puts {@code next} in force (valid; its timeout and timezone those in force). An account of the same name and
     * {@link UsageSources.Identity} keeps its snapshot, counters and place in the schedule; a changed capacity shows at
     * the next scrape. Any other is new: a fresh snapshot, polled at once. Removed and replaced accounts are dropped
     * from the store; their retries are not sent. A new poll interval applies from the round that was next due; a new
     * concurrency resizes the workers. Returns the names of the accounts that start afresh.
     */
    public synchronized Set<String> apply(ExporterConfig next) {
        ExporterConfig before = plan.config();
        Set<String> fresh = new HashSet<>();
        for (AccountConfig account : next.accounts()) {
            SnapshotStore.Slot slot = store.slots().get(account.name());
            if (slot == null || !UsageSources.Identity.of(before, slot.account())
                    .equals(UsageSources.Identity.of(next, account))) {
                fresh.add(account.name());
            }
        }
        List<SnapshotStore.Slot> dropped = store.replace(next.accounts(), fresh);
        dropped.forEach(notBeforeNanos::remove);
        plan = new Plan(next);
        threads.resizeWorkers(workerThreads(next));
        rounds.change(next.pollInterval());
        if (rounds.started()) {
            // New and changed accounts at once; the others keep their round.
            store.slots().values().stream().filter(slot -> fresh.contains(slot.account().name()))
                    .forEach(slot -> pollNow(slot, threads.nanoTime()));
        }
        return fresh;
    }

    /** Why {@link #pollNow} sent no request. */
    private enum Skip { NONE, WAITING, STILL_RUNNING }

    /**
     * One round; serialized with {@link #apply}, so a round polls the accounts of one configuration. Accounts skipped
     * are said once for the round, not once each: a fleet of 10,000 whose round outlasts the interval is one line.
     */
    private synchronized void pollAll() {
        long nowNanos = threads.nanoTime();
        int waiting = 0;
        int stillRunning = 0;
        for (SnapshotStore.Slot slot : store.slots().values()) {
            Skip skip = pollNow(slot, nowNanos);
            waiting += skip == Skip.WAITING ? 1 : 0;
            stillRunning += skip == Skip.STILL_RUNNING ? 1 : 0;
        }
        ExporterConfig config = plan.config();
        if (waiting > 0) {
            LOG.atDebug().setMessage("poll skipped: the API asked to wait (Retry-After)")
                    .addKeyValue("skipped", waiting).addKeyValue("accounts", store.slots().size()).log();
        }
        if (stillRunning > 0) {
            LOG.atWarn().setMessage("poll skipped: the previous poll is still running")
                    .addKeyValue("skipped", stillRunning)
                    .addKeyValue("accounts", store.slots().size())
                    .addKeyValue("poll_interval", Durations.format(config.pollInterval()))
                    .addKeyValue("timeout", Durations.format(config.timeout()))
                    .addKeyValue("concurrency", config.concurrency())
                    .addKeyValue("help", "a round takes longer than poll_interval: raise poll_interval or concurrency,"
                            + " lower timeout or retry.max_attempts, or split the accounts with --shard=I/N")
                    .log();
        }
    }

    private Skip pollNow(SnapshotStore.Slot slot, long nowNanos) {
        Long waitUntil = notBeforeNanos.get(slot);
        if (waitUntil != null && nowNanos - waitUntil < 0) {
            return Skip.WAITING;
        }
        if (inFlight.putIfAbsent(slot, Boolean.TRUE) != null) {
            return Skip.STILL_RUNNING;
        }
        PollRun run = new PollRun(slot, plan);
        try {
            threads.execute(() -> run.attempt(1));
        } catch (RejectedExecutionException closing) {
            run.finish();
        }
        return Skip.NONE;
    }

    /**
     * One poll of one account, possibly over several attempts. It may wait in the workers' queue (at most
     * {@code concurrency} polls run at once), so nothing about time is fixed when it is queued: each attempt
     * reads the clock for its own dates and its own deadline, and the duration counts from the first attempt.
     */
    private final class PollRun {
        private final SnapshotStore.Slot slot;
        private final AccountConfig account;
        private final ExporterConfig config;
        private final RetryPolicy retryPolicy;
        private final UsageSource source;
        private long startNanos;

        PollRun(SnapshotStore.Slot slot, Plan plan) {
            this.slot = slot;
            this.account = slot.account();
            this.config = plan.config();
            this.retryPolicy = plan.retryPolicy();
            this.source = sources.of(config, account);
        }

        void attempt(int attempt) {
            boolean retryScheduled = false;
            try {
                if (closed) {
                    return;
                }
                if (!store.current(slot)) {
                    // Removed or replaced by a reload while queued or waiting to retry: its request is not sent.
                    LOG.atDebug().setMessage("poll dropped: the account was reloaded")
                            .addKeyValue("account", account.name()).addKeyValue("attempt", attempt).log();
                    return;
                }
                if (attempt == 1) {
                    startNanos = threads.nanoTime();
                }
                // Yesterday and today as of this attempt: a poll queued before midnight, or retried across an
                // hour, asks for and keeps the days and hours of when it runs.
                DateWindow window = DateWindow.at(clock.instant(), config.zoneOf(account));
                List<DailyUsage> days = source.fetch(window.yesterday(), window.today());
                List<DailyUsage> kept = window.select(days);
                store.update(slot, s -> s.withSuccess(kept, clock.instant(), elapsed()));
                LOG.atDebug().setMessage("poll succeeded").addKeyValue("account", account.name())
                        .addKeyValue("days", kept.size()).addKeyValue("attempt", attempt).log();
            } catch (UpstreamException e) {
                // A request cut short by close() is no failure of the API: nothing to count or retry.
                retryScheduled = !closed && failed(attempt, e.reason(), e.getMessage(), e.retryAfter().orElse(null));
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                // A bug of the exporter, not a fault of the API: counted apart, logged loudly, not retried
                // (it would only fail the same way and spend the API's rate limit).
                if (!closed) {
                    internalError(attempt, e);
                }
            } finally {
                // Whatever happened, the account is free for the next poll unless a retry now owns it.
                if (!retryScheduled) {
                    finish();
                }
            }
        }

        private void internalError(int attempt, Throwable e) {
            String what = e.getClass().getName()
                    + (e.getMessage() == null ? "" : ": " + source.redactor().apply(e.getMessage()));
            StringBuilder where = new StringBuilder();
            StackTraceElement[] frames = e.getStackTrace();
            for (int i = 0; i < Math.min(INTERNAL_ERROR_FRAMES, frames.length); i++) {
                where.append(i == 0 ? "" : " < ").append(frames[i]);
            }
            // The stack frames hold no data; the message is redacted like every other.
            LOG.atError().setMessage("poll failed: internal error of crc-exporter, please report it")
                    .addKeyValue("account", account.name())
                    .addKeyValue("reason", FailureReason.INTERNAL.label())
                    .addKeyValue("attempt", attempt)
                    .addKeyValue("err", what)
                    .addKeyValue("at", where.toString())
                    .log();
            store.update(slot, s -> s.withError(new PollError(clock.instant(), FailureReason.INTERNAL,
                    "internal error " + e.getClass().getSimpleName() + " (a bug of crc-exporter; see its log)")));
            store.update(slot, s -> s.withFailure(elapsed()));
        }

        /** Records the failure; returns whether a retry was scheduled (which then owns the account). */
        private boolean failed(int attempt, FailureReason reason, String message, Duration retryAfter) {
            Instant now = clock.instant();
            long nowNanos = threads.nanoTime();
            store.update(slot, s -> s.withError(new PollError(now, reason, message)));
            Duration delay = retryPolicy.delay(attempt, retryAfter);
            if (retryAfter != null) {
                notBeforeNanos.put(slot, nowNanos + RetryPolicy.honoured(retryAfter).toNanos());
            }
            // A retry must be over, timeout included, with a margin before the next scheduled poll is due: a
            // stalled machine should not make a retry overlap it. "Next" as of now, not as of when the poll was
            // queued: a poll that waited past a scheduled time still has until the one after.
            long margin = Math.min(RETRY_MARGIN.toNanos(), config.pollInterval().toNanos() / 10);
            boolean retry = retryPolicy.mayRetry(attempt)
                    && nowNanos + delay.toNanos() + config.timeout().toNanos() + margin
                            - rounds.nextNanos(nowNanos) < 0;
            LOG.atWarn().setMessage("poll failed")
                    .addKeyValue("account", account.name())
                    .addKeyValue("reason", reason.label())
                    .addKeyValue("attempt", attempt)
                    .addKeyValue("next", retry ? "retry in " + delay.toMillis() + "ms" : "next poll interval")
                    .addKeyValue("err", message)
                    .log();
            if (retry && scheduleRetry(attempt + 1, delay)) {
                return true;
            }
            store.update(slot, s -> s.withFailure(elapsed()));
            return false;
        }

        private boolean scheduleRetry(int nextAttempt, Duration delay) {
            try {
                threads.schedule(() -> {
                    try {
                        threads.execute(() -> attempt(nextAttempt));
                    } catch (RejectedExecutionException closing) {
                        finish();
                    }
                }, delay);
                return true;
            } catch (RejectedExecutionException closing) {
                return false;
            }
        }

        private Duration elapsed() {
            return Duration.ofNanos(threads.nanoTime() - startNanos);
        }

        private void finish() {
            inFlight.remove(slot);
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.close();
    }
}
