package dev.crcexporter.poll;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where and when polls run: workers that send the requests (at most as many at once as there are workers), and a
 * scheduler for the rounds and the delays before retries, on a monotonic clock. The daemon's are threads and
 * {@link System#nanoTime()} ({@link #daemons}); a test's time moves only when the test moves it, so an hour of rounds
 * and retries takes none. Once closed, both refuse new work with a
 * {@link java.util.concurrent.RejectedExecutionException}.
 */
interface PollThreads extends AutoCloseable {
    /** Monotonic time in nanoseconds (only differences mean anything), as {@link System#nanoTime()}. */
    long nanoTime();

    /** Runs {@code task} on a worker, after the tasks already queued. */
    void execute(Runnable task);

    /** Runs {@code task} once {@code delay} has passed, unless the returned future is cancelled before. */
    Future<?> schedule(Runnable task, Duration delay);

    void resizeWorkers(int threads);

    /** Interrupts what runs and drops what waits. */
    @Override
    void close();

    /** One scheduler thread and a pool of workers, all daemons so that they never hold the process up. */
    static PollThreads daemons() {
        return new Daemons();
    }

    final class Daemons implements PollThreads {
        private final ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(daemonThreads("poll-scheduler"));
        private final ThreadPoolExecutor workers = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("poll-worker"));

        private Daemons() {}

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void execute(Runnable task) {
            workers.execute(task);
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void resizeWorkers(int threads) {
            // The core size may never exceed the maximum: grow the maximum first, shrink it last.
            if (threads > workers.getMaximumPoolSize()) {
                workers.setMaximumPoolSize(threads);
                workers.setCorePoolSize(threads);
            } else {
                workers.setCorePoolSize(threads);
                workers.setMaximumPoolSize(threads);
            }
        }

        /** Also waits up to 2 seconds for the workers to end. */
        @Override
        public void close() {
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
}
