package dev.crcexporter.metrics;

import dev.crcexporter.config.Shard;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * Which shard a replica serves, registered only when {@code --shard} is given:
 *
 * <pre>
 * # HELP crc_exporter_shard_info Shard of the accounts this replica polls and exposes (--shard=shard/shards, counted from 0).
 * # TYPE crc_exporter_shard_info gauge
 * crc_exporter_shard_info{shard="3",shards="10"} 1
 * </pre>
 *
 * The snapshot is built once and returned by every scrape: the scrape endpoint reuses its rendered answer only while
 * every family is the very same object.
 */
public final class ShardInfo implements Collector {
    /** Exposed as {@code crc_exporter_shard_info}: client_java adds the info suffix. */
    public static final String NAME = "crc_exporter_shard";
    static final String HELP = "Shard of the accounts this replica polls and exposes (--shard=shard/shards, counted from 0).";

    private final InfoSnapshot snapshot;

    public ShardInfo(Shard shard) {
        this.snapshot = InfoSnapshot.builder().name(NAME).help(HELP)
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of(
                        "shard", Integer.toString(shard.index()),
                        "shards", Integer.toString(shard.count()))).build())
                .build();
    }

    public ShardInfo register(PrometheusRegistry registry) {
        registry.register(this);
        return this;
    }

    @Override
    public MetricSnapshot collect() {
        return snapshot;
    }

    @Override
    public MetricFamilyDescriptor getMetricFamilyDescriptor() {
        return MetricFamilyDescriptor.info(NAME).help(HELP).labelNames("shard", "shards").build();
    }
}
