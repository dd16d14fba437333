package dev.crcexporter.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The {@code jvm_*} and {@code process_*} collectors, registered once per process. client_java's {@code JvmMetrics}
 * keeps every registry it was registered into in a static set (and adds GC listeners for each), so a registry per
 * exporter would never be freed; tests start hundreds of exporters in one JVM. The values are the same for every
 * exporter of the process, so each one reads this registry from its own.
 */
public final class ProcessJvmMetrics {
    private static final PrometheusRegistry REGISTRY = create();

    private ProcessJvmMetrics() {}

    /** The one registry of the process that holds the JVM collectors. */
    public static PrometheusRegistry registry() {
        return REGISTRY;
    }

    private static PrometheusRegistry create() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        return registry;
    }
}
