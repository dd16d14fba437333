package dev.crcexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.time.Duration;
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

    private static double value(RecentSnapshots recent) {
        return ((CounterSnapshot) recent.collect().get(0)).getDataPoints().get(0).getValue();
    }
}
