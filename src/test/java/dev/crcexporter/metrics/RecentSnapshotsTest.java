package dev.crcexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentSnapshotsTest {
    @Test
    void servesTheSameScrapeUntilItIsOlderThanMaxAge() {
        PrometheusRegistry source = new PrometheusRegistry();
        Counter counter = Counter.builder().name("things").register(source);
        AtomicLong nanos = new AtomicLong(1_000);
        RecentSnapshots recent = new RecentSnapshots(source, Duration.ofSeconds(1), nanos::get);

        counter.inc();
        assertThat(value(recent)).isEqualTo(1.0);
        counter.inc();
        nanos.addAndGet(999_999_999);
        assertThat(value(recent)).as("still the scrape taken 0.999s ago").isEqualTo(1.0);
        nanos.addAndGet(1);
        assertThat(value(recent)).as("one second old: taken again").isEqualTo(2.0);
    }

    @Test
    void whileOneScrapeTakesANewReadingTheOthersGetThePreviousOne() throws Exception {
        PrometheusRegistry source = new PrometheusRegistry();
        AtomicLong readings = new AtomicLong();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        source.register(() -> {
            long n = readings.incrementAndGet();
            if (n == 2) { // the second reading takes its time
                reading.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return CounterSnapshot.builder().name("readings")
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(n).build()).build();
        });
        AtomicLong nanos = new AtomicLong(1_000);
        RecentSnapshots recent = new RecentSnapshots(source, Duration.ofSeconds(1), nanos::get);
        assertThat(value(recent)).isEqualTo(1.0);

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Double> slow = thread.submit(() -> value(recent));
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(value(recent)).as("the previous reading, at once").isEqualTo(1.0);
            assertThat(readings).as("no second reading started").hasValue(2);
            release.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(2.0);
            assertThat(value(recent)).isEqualTo(2.0);
        } finally {
            thread.shutdownNow();
        }
    }

    private static double value(RecentSnapshots recent) {
        return ((CounterSnapshot) recent.collect().get(0)).getDataPoints().get(0).getValue();
    }
}
