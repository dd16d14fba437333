package dev.crcexporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Serves the scrape of another registry, taken at most {@code maxAge} ago. The exporter keeps the
 * {@code jvm_*} and {@code process_*} metrics behind it: reading threads, memory pools and /proc costs
 * more than rendering the CRC data, and values one second old are as good for a scrape every 15s or more.
 * One scrape at a time takes a new reading; the others meanwhile get the previous one, instead of all reading
 * at once when the second is over (which showed as a spike in the tail latency under load).
 */
public final class RecentSnapshots implements MultiCollector {
    private final PrometheusRegistry source;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private volatile Taken last;
    private final AtomicBoolean reading = new AtomicBoolean();

    private record Taken(long atNanos, MetricSnapshots snapshots) {}

    public RecentSnapshots(PrometheusRegistry source, Duration maxAge, LongSupplier nanoTime) {
        this.source = source;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public MetricSnapshots collect() {
        Taken taken = last;
        if (taken == null) {
            synchronized (this) {
                if (last == null) {
                    last = new Taken(nanoTime.getAsLong(), source.scrape());
                }
                return last.snapshots();
            }
        }
        if (nanoTime.getAsLong() - taken.atNanos() >= maxAgeNanos && reading.compareAndSet(false, true)) {
            try {
                taken = new Taken(nanoTime.getAsLong(), source.scrape());
                last = taken;
            } finally {
                reading.set(false);
            }
        }
        return taken.snapshots();
    }
}
