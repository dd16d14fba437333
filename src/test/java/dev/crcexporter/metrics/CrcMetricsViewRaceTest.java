package dev.crcexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.poll.SnapshotStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The cached view under concurrent polls: a scrape that begins after a poll has stored its outcome must see that
 * outcome (or a newer one), never a view cached from before it. SoakIT checks the same end to end, through HTTP.
 */
class CrcMetricsViewRaceTest {
    private static final AccountConfig HQ = new AccountConfig("hq", "key-hq", new Secret("s"), OptionalInt.of(40));
    private static final int UPDATES = 20_000;

    @Test
    void aViewIsNeverOlderThanAPollThatEndedBeforeItWasAskedFor() throws Exception {
        SnapshotStore store = new SnapshotStore(List.of(HQ));
        // A fixed clock: the hour never changes, so only the store's version can renew the cached view.
        CrcMetrics metrics = new CrcMetrics(store, Clock.fixed(Instant.parse("2026-11-26T02:30:00Z"), ZoneOffset.UTC),
                ZoneId.of("Asia/Shanghai"), new BuildInfo("1", "r", "17"), Optional.empty(), Optional.empty(), true);
        AtomicLong stored = new AtomicLong(-1); // the last success (epoch second) of the last update that has returned
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

        Thread poller = new Thread(() -> {
            for (long i = 0; i < UPDATES; i++) {
                Instant at = Instant.ofEpochSecond(i);
                store.update(store.slots().get("hq"), s -> s.withSuccess(List.of(), at, Duration.ZERO));
                stored.set(i);
                // a pause between polls, as real ones have: a view cached wrongly would then be handed out for a while
                LockSupport.parkNanos(1_000);
            }
        });
        Runnable scraper = () -> {
            while (poller.isAlive() && problems.size() < 5) {
                long before = stored.get();
                long seen = metrics.view().accounts.get(0).snapshot().lastSuccess().map(Instant::getEpochSecond)
                        .orElse(-1L);
                if (seen < before) {
                    problems.add("a view of success " + seen + " after success " + before + " was stored");
                }
            }
        };
        Thread scraperA = new Thread(scraper);
        Thread scraperB = new Thread(scraper);
        poller.start();
        scraperA.start();
        scraperB.start();
        for (Thread thread : List.of(poller, scraperA, scraperB)) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(thread.isAlive()).as("%s still running after 60 s", thread).isFalse();
        }

        assertThat(problems).isEmpty();
        assertThat(metrics.view().accounts.get(0).snapshot().lastSuccess())
                .contains(Instant.ofEpochSecond(UPDATES - 1));
    }
}
