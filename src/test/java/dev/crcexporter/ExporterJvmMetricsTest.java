package dev.crcexporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.metrics.ProcessJvmMetrics;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExporterJvmMetricsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC);

    /** client_java keeps every registry JvmMetrics was registered into, for the life of the process. */
    private static int registriesHeldByJvmMetrics() throws ReflectiveOperationException {
        Field registered = JvmMetrics.class.getDeclaredField("REGISTERED");
        registered.setAccessible(true);
        return ((Set<?>) registered.get(null)).size();
    }

    @Test
    void exportersShareTheProcessJvmCollectorsSoStartingMoreHoldsNothingMore() throws Exception {
        try (FakeCrcApi upstream = new FakeCrcApi(); ExporterFixture fixture = new ExporterFixture()) {
            fixture.startWithFullDays(upstream, 1, CLOCK);
            int held = registriesHeldByJvmMetrics();
            for (int i = 0; i < 3; i++) {
                try (ExporterFixture more = new ExporterFixture()) {
                    Exporter another = more.startWithFullDays(upstream, 1, CLOCK);
                    assertThat(more.metrics(another)).contains("jvm_threads_current", "process_cpu_seconds_total");
                }
            }
            assertThat(registriesHeldByJvmMetrics()).isEqualTo(held).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void theProcessRegistryHoldsTheJvmAndProcessFamilies() {
        assertThat(ProcessJvmMetrics.registry()).isSameAs(ProcessJvmMetrics.registry());
        assertThat(ProcessJvmMetrics.registry().scrape().stream().map(MetricSnapshot::getMetadata)
                .map(m -> m.getPrometheusName()))
                .anyMatch(name -> name.startsWith("jvm_")).anyMatch(name -> name.startsWith("process_"));
    }
}
