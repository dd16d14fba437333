package dev.crcexporter.poll;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When the poller's rounds run: the first at once, then one every poll interval at fixed rate, on the monotonic clock
 * ({@link System#nanoTime()}). A reload's new interval starts at the round that was due next, so no round is added or
 * skipped by it.
 */
final class Rounds {
    private final ScheduledExecutorService scheduler;
    private final Runnable round;
    /** When the current schedule's first round is (or was) due; the later ones follow every {@link #interval}. */
    private volatile long startNanos;
    private volatile Duration interval;
    private ScheduledFuture<?> schedule;

    Rounds(ScheduledExecutorService scheduler, Runnable round) {
        this.scheduler = scheduler;
        this.round = round;
    }

    synchronized void start(Duration every) {
        interval = every;
        startNanos = System.nanoTime();
        schedule = scheduler.scheduleAtFixedRate(round, 0, every.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean started() {
        return interval != null;
    }

    /** Keeps the round due next where it is and runs the later ones {@code every} apart. */
    synchronized void change(Duration every) {
        if (schedule == null || every.equals(interval)) {
            interval = every;
            return;
        }
        long nowNanos = System.nanoTime();
        long due = nextNanos(nowNanos);
        schedule.cancel(false);
        startNanos = due;
        interval = every;
        try {
            schedule = scheduler.scheduleAtFixedRate(round, due - nowNanos, every.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            schedule = null;
        }
    }

    /** When the first round after {@code nowNanos} is due. */
    long nextNanos(long nowNanos) {
        long start = startNanos;
        if (nowNanos - start < 0) {
            return start; // a new interval's first round, still to come
        }
        long every = interval.toNanos();
        return start + ((nowNanos - start) / every + 1) * every;
    }
}
