package dev.crcexporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Serves the scrape of another registry, taken at most {@code maxAge} ago. The exporter keeps the
 * {@code jvm_*} and {@code process_*} metrics behind it: reading threads, memory pools and /proc costs
 * more than rendering the CRC data, and values one second old are as good for a scrape every 15s or more.
 */
public final class RecentSnapshots implements MultiCollector {
    private final PrometheusRegistry source;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private volatile Taken last;

    private record Taken(long atNanos, MetricSnapshots snapshots) {}

    public RecentSnapshots(PrometheusRegistry source, Duration maxAge, LongSupplier nanoTime) {
        this.source = source;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public MetricSnapshots collect() {
        long now = nanoTime.getAsLong();
        Taken taken = last;
        if (taken == null || now - taken.atNanos() >= maxAgeNanos) {
            taken = new Taken(now, source.scrape());
            last = taken;
        }
        return taken.snapshots();
    }
}
