package dev.crcexporter.poll;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * When the poller's rounds run: the first at once, then one every poll interval at a fixed rate (a late round does
 * not move the later ones), on the clock of {@link PollThreads}. A reload's new interval starts at the round that was
 * due next, so no round is added or skipped by it.
 */
final class Rounds {
    private final PollThreads scheduler;
    private final Runnable round;
    /** When the current schedule's first round is (or was) due; the later ones follow every {@link #interval}. */
    private volatile long startNanos;
    private volatile Duration interval;
    private boolean started;
    /** Counts the rounds scheduled: a round scheduled before {@link #change} finds it moved on and does not run. */
    private long generation;
    private Future<?> next;

    Rounds(PollThreads scheduler, Runnable round) {
        this.scheduler = scheduler;
        this.round = round;
    }

    synchronized void start(Duration every) {
        interval = every;
        started = true;
        startNanos = scheduler.nanoTime();
        scheduleAt(startNanos);
    }

    synchronized boolean started() {
        return started;
    }

    /** Keeps the round due next where it is and runs the later ones {@code every} apart. */
    synchronized void change(Duration every) {
        if (!started || every.equals(interval)) {
            interval = every;
            return;
        }
        long due = nextNanos(scheduler.nanoTime());
        if (next != null) {
            next.cancel(false);
        }
        startNanos = due;
        interval = every;
        scheduleAt(due);
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

    private void scheduleAt(long due) {
        long scheduled = ++generation;
        try {
            next = scheduler.schedule(() -> run(scheduled, due),
                    Duration.ofNanos(Math.max(0, due - scheduler.nanoTime())));
        } catch (RejectedExecutionException closing) {
            next = null;
        }
    }

    private void run(long scheduled, long due) {
        synchronized (this) {
            if (scheduled != generation) {
                return;
            }
        }
        try {
            round.run();
        } finally {
            // Due one interval after this one was due, not after it ran: a late round is followed by the next on time.
            synchronized (this) {
                if (scheduled == generation) {
                    scheduleAt(due + interval.toNanos());
                }
            }
        }
    }
}
