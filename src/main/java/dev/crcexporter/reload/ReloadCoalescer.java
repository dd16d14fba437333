package dev.crcexporter.reload;

import dev.crcexporter.web.ReloadTrigger;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Where every reload is asked for ({@code POST /-/reload}, SIGHUP): reloads run one at a time on a thread of their own,
 * never on the caller's (a flood of requests holds no web worker), and are coalesced: at most one runs and one waits.
 * Whoever asks while one waits joins it and gets its outcome; it reads the files as they are when it starts, so each
 * caller's change is seen by a reload that began after the caller asked.
 */
public final class ReloadCoalescer implements ReloadTrigger, AutoCloseable {
    private final Function<String, Outcome> reload;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread reloading = new Thread(runnable, "reload");
        reloading.setDaemon(true);
        return reloading;
    });
    /** The reload that waits to run, whose callers share its outcome; null when none waits. Guarded by this. */
    private Waiting waiting;

    private static final class Waiting {
        final Set<String> triggers = new LinkedHashSet<>();
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    }

    /** @param reload reads and applies the files, naming its triggers in the log ({@link ConfigReloader#reload}) */
    public ReloadCoalescer(Function<String, Outcome> reload) {
        this.reload = reload;
    }

    /** The outcome of the next reload to start; a future of the caller's own (cancelling it cancels nothing else). */
    @Override
    public synchronized CompletableFuture<Outcome> reload(String trigger) {
        if (waiting == null) {
            Waiting next = new Waiting();
            try {
                thread.execute(() -> run(next));
            } catch (RejectedExecutionException closed) {
                return CompletableFuture.completedFuture(new Outcome(false, "the exporter is shutting down"));
            }
            waiting = next;
        }
        waiting.triggers.add(trigger);
        return waiting.outcome.copy();
    }

    private void run(Waiting next) {
        String triggers;
        synchronized (this) {
            if (waiting == next) {
                waiting = null; // whoever asks from now on waits for the next reload
            }
            triggers = String.join(", ", next.triggers);
        }
        try {
            next.outcome.complete(reload.apply(triggers));
        } catch (RuntimeException e) {
            next.outcome.complete(new Outcome(false, "reload failed, the running configuration stays: internal error "
                    + e.getClass().getSimpleName() + " (a bug of crc-exporter)"));
        } catch (Error e) {
            next.outcome.completeExceptionally(e);
            throw e;
        }
    }

    /** Runs no more reloads; whoever waits for one is told the exporter is shutting down. */
    @Override
    public void close() {
        thread.shutdownNow();
        synchronized (this) {
            if (waiting != null) {
                waiting.outcome.complete(new Outcome(false, "the exporter is shutting down"));
                waiting = null;
            }
        }
    }
}
