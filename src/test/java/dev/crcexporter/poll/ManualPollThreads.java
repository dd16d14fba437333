package dev.crcexporter.poll;

import dev.crcexporter.testing.Poll;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Poll threads whose time moves only when the test moves it ({@link #advance}, {@link #runNext}): what is due then
 * runs on the thread that moves time (the test's, or a fake upstream's while it answers), in the order it is due,
 * each at its own time. The workers are real threads, as many as the poller asks for; {@link #awaitIdle} waits until
 * none runs or waits for a task.
 */
final class ManualPollThreads implements PollThreads {
    private record Task(long dueNanos, long order, Runnable run, CompletableFuture<Void> future) {}

    private static final Comparator<Task> FIRST_DUE = Comparator.comparingLong(Task::dueNanos)
            .thenComparingLong(Task::order);

    private final PollThreads workers = PollThreads.daemons();
    private final AtomicInteger busy = new AtomicInteger();
    private final PriorityQueue<Task> waiting = new PriorityQueue<>(FIRST_DUE);
    private long nowNanos;
    private long order;
    private boolean closed;

    @Override
    public synchronized long nanoTime() {
        return nowNanos;
    }

    @Override
    public void execute(Runnable task) {
        busy.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } finally {
                    busy.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            busy.decrementAndGet();
            throw e;
        }
    }

    @Override
    public synchronized Future<?> schedule(Runnable task, Duration delay) {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        waiting.add(new Task(nowNanos + delay.toNanos(), order++, task, future));
        return future;
    }

    @Override
    public void resizeWorkers(int threads) {
        workers.resizeWorkers(threads);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            waiting.clear();
        }
        workers.close();
    }

    /** Moves time on by {@code by}, running each task as its time comes. */
    void advance(Duration by) {
        long until;
        synchronized (this) {
            until = nowNanos + by.toNanos();
        }
        while (runFirstDueBy(until)) {
            // on to the next
        }
        synchronized (this) {
            nowNanos = Math.max(nowNanos, until);
        }
    }

    /** Moves time to the first task waiting and runs it (with any due at the same time); returns how far it moved. */
    Duration runNext() {
        Duration by;
        synchronized (this) {
            Task first = waiting.stream().filter(t -> !t.future().isCancelled()).min(FIRST_DUE)
                    .orElseThrow(() -> new AssertionError("nothing is scheduled"));
            by = Duration.ofNanos(Math.max(0, first.dueNanos() - nowNanos));
        }
        advance(by);
        return by;
    }

    /** Tasks waiting for their time (the next round among them), cancelled ones left out. */
    synchronized int waiting() {
        return (int) waiting.stream().filter(t -> !t.future().isCancelled()).count();
    }

    /** Waits until no worker runs or waits for a task: every poll (or retry) handed to them has ended. */
    void awaitIdle() {
        Poll.until(Duration.ofSeconds(15), "every poll handed to the workers ended", () -> busy.get() == 0);
    }

    private boolean runFirstDueBy(long until) {
        Task next;
        synchronized (this) {
            next = waiting.peek();
            if (next == null || next.dueNanos() > until) {
                return false;
            }
            waiting.poll();
            nowNanos = Math.max(nowNanos, next.dueNanos());
        }
        if (!next.future().isCancelled()) {
            next.run().run();
            next.future().complete(null);
        }
        return true;
    }
}
