package dev.crcexporter.poll;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.upstream.CrcUsageClient;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.FailureReason;
import dev.crcexporter.upstream.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every account on one schedule. Each poll asks for yesterday and today in one request; a
 * failed request is retried with exponential backoff and jitter while the poll interval allows.
 * At most {@code concurrency} requests run at once, so one slow account never holds up the rest,
 * and an account whose previous poll is still running is skipped rather than piled up.
 */
public final class Poller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final ExporterConfig config;
    private final RetryPolicy retryPolicy;
    private final CrcUsageClient client;
    private final SnapshotStore store;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private static final Duration RETRY_MARGIN = Duration.ofSeconds(1);
    /**
     * Accounts the API asked (Retry-After) to leave alone until then, in {@link System#nanoTime()}: waits and
     * deadlines are measured on the monotonic clock, so a wall-clock step (NTP, a fixed test clock) neither
     * freezes an account nor lets it hammer the API.
     */
    private final Map<String, Long> notBeforeNanos = new ConcurrentHashMap<>();

    public Poller(ExporterConfig config, CrcUsageClient client, SnapshotStore store, Clock clock) {
        this.config = config;
        this.retryPolicy = new RetryPolicy(config.retry());
        this.client = client;
        this.store = store;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("poll-scheduler"));
        // At least one thread: a shard may have no accounts at all (see Shard).
        this.workers = Executors.newFixedThreadPool(Math.max(1, Math.min(config.concurrency(), config.accounts().size())),
                daemonThreads("poll-worker"));
    }

    /** Polls every account now, then every poll interval. */
    public void start() {
        scheduler.scheduleAtFixedRate(this::pollAll, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollAll() {
        long nowNanos = System.nanoTime();
        for (AccountConfig account : config.accounts()) {
            Long waitUntil = notBeforeNanos.get(account.name());
            if (waitUntil != null && nowNanos - waitUntil < 0) {
                LOG.atDebug().setMessage("poll skipped: the API asked to wait")
                        .addKeyValue("account", account.name())
                        .addKeyValue("wait_ms", TimeUnit.NANOSECONDS.toMillis(waitUntil - nowNanos)).log();
                continue;
            }
            if (inFlight.putIfAbsent(account.name(), Boolean.TRUE) != null) {
                LOG.atWarn().setMessage("poll skipped: the previous poll is still running")
                        .addKeyValue("account", account.name()).log();
                continue;
            }
            PollRun run = new PollRun(account);
            workers.execute(() -> run.attempt(1));
        }
    }

    /** One poll of one account, possibly over several attempts. */
    private final class PollRun {
        private final AccountConfig account;
        private final DateWindow window;
        private final long startNanos = System.nanoTime();
        /** The next poll is due then: retries must be over by this time (monotonic). */
        private final long deadlineNanos = startNanos + config.pollInterval().toNanos();

        PollRun(AccountConfig account) {
            this.account = account;
            this.window = DateWindow.at(clock.instant(), config.timezone());
        }

        void attempt(int attempt) {
            boolean retryScheduled = false;
            try {
                if (closed) {
                    return;
                }
                List<DailyUsage> days = client.fetch(account, window.yesterday(), window.requestEnd());
                List<DailyUsage> kept = window.select(days);
                store.update(account.name(), s -> s.withSuccess(kept, clock.instant(), elapsed()));
                LOG.atDebug().setMessage("poll succeeded").addKeyValue("account", account.name())
                        .addKeyValue("days", kept.size()).addKeyValue("attempt", attempt).log();
            } catch (UpstreamException e) {
                // A request cut short by close() is no failure of the API: nothing to count or retry.
                retryScheduled = !closed && failed(attempt, e.reason(), e.getMessage(), e.retryAfter().orElse(null));
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                // Not expected; counted as malformed so that it shows, without the stack trace of a secret-bearing object.
                retryScheduled = !closed && failed(attempt, FailureReason.MALFORMED, "unexpected " + e.getClass().getSimpleName(), null);
            } finally {
                // Whatever happened, the account is free for the next poll unless a retry now owns it.
                if (!retryScheduled) {
                    finish();
                }
            }
        }

        /** Records the failure; returns whether a retry was scheduled (which then owns the account). */
        private boolean failed(int attempt, FailureReason reason, String message, Duration retryAfter) {
            Instant now = clock.instant();
            long nowNanos = System.nanoTime();
            store.update(account.name(), s -> s.withError(new PollError(now, reason, message)));
            Duration delay = retryPolicy.delay(attempt, retryAfter);
            if (retryAfter != null) {
                notBeforeNanos.put(account.name(), nowNanos + RetryPolicy.honoured(retryAfter).toNanos());
            }
            // A retry must be over, timeout included, with a margin before the next poll is due: a stalled
            // machine should not make a retry overlap the next poll.
            long margin = Math.min(RETRY_MARGIN.toNanos(), config.pollInterval().toNanos() / 10);
            boolean retry = retryPolicy.mayRetry(attempt)
                    && nowNanos + delay.toNanos() + config.timeout().toNanos() + margin - deadlineNanos < 0;
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
            store.update(account.name(), s -> s.withFailure(elapsed()));
            return false;
        }

        private boolean scheduleRetry(int nextAttempt, Duration delay) {
            try {
                scheduler.schedule(() -> {
                    try {
                        workers.execute(() -> attempt(nextAttempt));
                    } catch (RejectedExecutionException closing) {
                        finish();
                    }
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (RejectedExecutionException closing) {
                return false;
            }
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        private void finish() {
            inFlight.remove(account.name());
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
