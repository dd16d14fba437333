package dev.crcexporter.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.web.ReloadTrigger.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reloads run one at a time on their own thread; whoever asks while one waits shares it. */
class ReloadCoalescerTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch firstStarted = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();
    private final List<String> triggers = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    /** The first reload waits for {@link #release}; each tells which run it was. */
    private final Function<String, Outcome> heldReload = trigger -> {
        int run = runs.incrementAndGet();
        triggers.add(trigger);
        threads.add(Thread.currentThread().getName());
        if (run == 1) {
            firstStarted.countDown();
            await(release);
        }
        return new Outcome(true, "run " + run);
    };
    private final ReloadCoalescer reloads = new ReloadCoalescer(heldReload);

    @AfterEach
    void close() {
        release.countDown();
        reloads.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void whileOneRunsEveryCallerSharesTheOneThatWaits() throws Exception {
        CompletableFuture<Outcome> first = reloads.reload("SIGHUP");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();

        ExecutorService callers = Executors.newFixedThreadPool(16);
        List<Future<CompletableFuture<Outcome>>> asked = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                String trigger = i % 2 == 0 ? "POST /-/reload" : "SIGHUP";
                asked.add(callers.submit(() -> reloads.reload(trigger)));
            }
            List<CompletableFuture<Outcome>> waiting = new ArrayList<>();
            for (Future<CompletableFuture<Outcome>> future : asked) {
                waiting.add(future.get(10, TimeUnit.SECONDS)); // asking returns at once, the outcome comes later
            }
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(true, "run 1"));
            for (CompletableFuture<Outcome> outcome : waiting) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(true, "run 2"));
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(runs).hasValue(2);
        assertThat(triggers).hasSize(2).first().isEqualTo("SIGHUP");
        assertThat(triggers.get(1).split(", ")).as("each trigger once").containsExactlyInAnyOrder("POST /-/reload",
                "SIGHUP");
        assertThat(threads).containsOnly("reload");
    }

    @Test
    void aCallerThatGivesUpLeavesTheOthersTheirOutcome() throws Exception {
        reloads.reload("first");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Outcome> impatient = reloads.reload("POST /-/reload");
        CompletableFuture<Outcome> patient = reloads.reload("POST /-/reload");

        impatient.cancel(true); // what the web server does when its wait times out
        release.countDown();

        assertThat(patient.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(true, "run 2"));
    }

    @Test
    void aReloadAskedForAfterOneStartedRunsAgainAndReadsTheFilesThen() throws Exception {
        release.countDown();
        assertThat(reloads.reload("a").get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(true, "run 1"));
        assertThat(reloads.reload("b").get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(true, "run 2"));
        assertThat(triggers).containsExactly("a", "b");
    }

    @Test
    void aReloadThatThrowsIsAFailedOutcomeAndTheNextOneRuns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (ReloadCoalescer failing = new ReloadCoalescer(trigger -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("bug");
            }
            return new Outcome(true, "fine");
        })) {
            assertThat(failing.reload("x").get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(false,
                    "reload failed, the running configuration stays: internal error IllegalStateException"
                            + " (a bug of crc-exporter)"));
            assertThat(failing.reload("y").get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(true, "fine"));
        }
    }

    @Test
    void closingTellsWhoWaitsAndRefusesWhoComesAfter() throws Exception {
        reloads.reload("first");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Outcome> waiting = reloads.reload("second");

        reloads.close();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome(false, "the exporter is shutting down"));
        assertThat(reloads.reload("third").get(10, TimeUnit.SECONDS))
                .isEqualTo(new Outcome(false, "the exporter is shutting down"));
    }
}
