package dev.crcexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScrapeMemoryTest {
    private static final long MIB = 1 << 20;

    @Test
    void aFleetWhoseScrapesDoNotFitTheHeapIsRefusedInOneLineNamingTheWaysOut() {
        assertThat(ScrapeMemory.refusal(10_000, true, 124 * MIB)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("10000 accounts with the hourly series need about ")
                .contains("MiB of heap to answer a scrape (", " MiB without the hourly series), more than the 124 MiB"
                        + " this JVM has (-Xmx)", "--shard=I/N", "--no-collector.hourly", "a larger -Xmx")
                .doesNotContain("\n"));
        assertThat(ScrapeMemory.refusal(20_000, false, 124 * MIB)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("20000 accounts without the hourly series need about ")
                .contains("--shard=I/N", "a larger -Xmx").doesNotContain("--no-collector.hourly"));
    }

    @Test
    void whatFitsGrowsWithTheHeapAndWithoutTheHourlySeries() {
        assertThat(ScrapeMemory.refusal(1, true, 62 * MIB)).isEmpty();
        assertThat(ScrapeMemory.refusal(300, true, 62 * MIB)).isEmpty();
        assertThat(ScrapeMemory.refusal(2_500, true, 124 * MIB)).isPresent();
        assertThat(ScrapeMemory.refusal(10_000, false, 124 * MIB)).isEmpty();
        for (int accounts : new int[] {100, 1_000, 10_000}) {
            assertThat(ScrapeMemory.heapNeeded(accounts, false)).isLessThan(ScrapeMemory.heapNeeded(accounts, true));
        }
    }

    /** A landing page of 300 accounts is 4.7 MB of HTML (bench/README.md): the ones being sent are not the scrapes'. */
    @Test
    void theLandingPagesBeingSentAreHeldApartFromTheScrapes() {
        assertThat(ScrapeMemory.held(300) - ScrapeMemory.held(0)).as("300 accounts and two pages of 300 cards")
                .isGreaterThan(300 * ScrapeMemory.BYTES_PER_ACCOUNT + 2 * 4_700_000L);
        assertThat(ScrapeMemory.held(301)).as("beyond 300 accounts, pages of 50 cards")
                .isLessThan(ScrapeMemory.held(300));
        assertThat(new ScrapeMemory(ScrapeMemory.held(300) + 1000, () -> 300).budget()).isEqualTo(1000);
    }

    @Test
    void aReservationWaitsForRoomMakesRoomAndGivesUpAtItsBound() throws Exception {
        ScrapeMemory memory = new ScrapeMemory(ScrapeMemory.held(10) + 1000, () -> 10);
        assertThat(memory.budget()).isEqualTo(1000);
        AtomicInteger madeRoom = new AtomicInteger();
        assertThat(memory.reserve(800, 0, madeRoom::incrementAndGet)).isTrue();
        assertThat(memory.reserve(1001, TimeUnit.SECONDS.toNanos(10), madeRoom::incrementAndGet))
                .as("more than the whole budget, at once").isFalse();
        assertThat(memory.reserve(300, TimeUnit.MILLISECONDS.toNanos(50), madeRoom::incrementAndGet))
                .as("no room within the bound").isFalse();
        assertThat(madeRoom).hasPositiveValue();

        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch asked = new CountDownLatch(1);
            Future<Boolean> waiting = thread.submit(() -> memory.reserve(300, TimeUnit.SECONDS.toNanos(20),
                    asked::countDown));
            assertThat(asked.await(20, TimeUnit.SECONDS)).isTrue();
            memory.release(800);
            assertThat(waiting.get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(memory.reserved()).isEqualTo(300);
        } finally {
            thread.shutdownNow();
        }
    }
}
