package dev.crcexporter.poll;

import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads polls run on: one scheduler (the rounds and the delays before retries) and a pool of workers that send
 * the requests, at most as many at once as there are workers. All are daemons, so they never hold the process up.
 * Once closed, both refuse new work with a {@link java.util.concurrent.RejectedExecutionException}.
 */
final class PollThreads implements AutoCloseable {
    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor workers;

    PollThreads(int workerThreads) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("poll-scheduler"));
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("poll-worker"));
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Runs {@code task} on a worker, after the tasks already queued. */
    void execute(Runnable task) {
        workers.execute(task);
    }

    void resizeWorkers(int threads) {
        // The core size may never exceed the maximum: grow the maximum first, shrink it last.
        if (threads > workers.getMaximumPoolSize()) {
            workers.setMaximumPoolSize(threads);
            workers.setCorePoolSize(threads);
        } else {
            workers.setCorePoolSize(threads);
            workers.setMaximumPoolSize(threads);
        }
    }

    /** Interrupts what runs and drops what waits, then waits up to 2 seconds for the workers to end. */
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
