package dev.crcexporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Instant;
import java.util.List;

/**
 * Whether the last reload of the configuration files applied, named as Prometheus and Alertmanager name theirs:
 *
 * <pre>
 * # HELP crc_exporter_config_last_reload_successful 1 if the last reload of the configuration files applied, else 0 ...
 * # TYPE crc_exporter_config_last_reload_successful gauge
 * crc_exporter_config_last_reload_successful 1.0
 * # HELP crc_exporter_config_last_reload_success_timestamp_seconds Unix time the configuration in force was applied ...
 * # TYPE crc_exporter_config_last_reload_success_timestamp_seconds gauge
 * crc_exporter_config_last_reload_success_timestamp_seconds 1.7644896E9
 * </pre>
 *
 * The start counts as the first successful load. The families are built once per reload and the same objects
 * returned by every scrape in between (the scrape endpoint reuses its rendered answer while every family is the same).
 */
public final class ReloadMetrics implements MultiCollector {
    public static final String SUCCESSFUL = "crc_exporter_config_last_reload_successful";
    public static final String SUCCESS_TIMESTAMP = "crc_exporter_config_last_reload_success_timestamp_seconds";
    static final String SUCCESSFUL_HELP = "1 if the last reload of the configuration files applied, else 0"
            + " (the configuration in force stays).";
    static final String SUCCESS_TIMESTAMP_HELP = "Unix time the configuration in force was applied, at start or by a"
            + " reload.";

    private volatile MetricSnapshots families;
    private Instant lastSuccess;

    /** {@code started}: when the configuration read at start was applied. */
    public ReloadMetrics(Instant started) {
        succeeded(started);
    }

    public synchronized void succeeded(Instant at) {
        lastSuccess = at;
        families = build(true, at);
    }

    /** The configuration applied last stays, and so does its timestamp. */
    public synchronized void failed() {
        families = build(false, lastSuccess);
    }

    private static MetricSnapshots build(boolean successful, Instant lastSuccess) {
        return MetricSnapshots.of(
                GaugeSnapshot.builder().name(SUCCESSFUL).help(SUCCESSFUL_HELP)
                        .dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.EMPTY).value(successful ? 1 : 0)
                                .build())
                        .build(),
                GaugeSnapshot.builder().name(SUCCESS_TIMESTAMP).help(SUCCESS_TIMESTAMP_HELP).unit(Unit.SECONDS)
                        .dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.EMPTY)
                                .value(lastSuccess.toEpochMilli() / 1000.0).build())
                        .build());
    }

    @Override
    public MetricSnapshots collect() {
        return families;
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        return List.of(
                MetricFamilyDescriptor.gauge(SUCCESSFUL).help(SUCCESSFUL_HELP).build(),
                MetricFamilyDescriptor.gauge(SUCCESS_TIMESTAMP).help(SUCCESS_TIMESTAMP_HELP).unit(Unit.SECONDS)
                        .build());
    }
}
