package dev.crcexporter.metrics;

import dev.crcexporter.config.Shard;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * Which shard a replica serves, one of {@link CrcMetrics}' families only when {@code --shard} is given:
 *
 * <pre>
 * # HELP crc_exporter_shard_info Shard of the accounts this replica polls and exposes (--shard=shard/shards, ...
 * # TYPE crc_exporter_shard_info gauge
 * crc_exporter_shard_info{shard="3",shards="10"} 1
 * </pre>
 */
final class ShardInfo {
    /** Exposed as {@code crc_exporter_shard_info}: client_java adds the info suffix. */
    static final String NAME = "crc_exporter_shard";
    static final String HELP = "Shard of the accounts this replica polls and exposes (--shard=shard/shards,"
            + " counted from 0).";

    private ShardInfo() {}

    static Labels labels(Shard shard) {
        return Labels.of("shard", Integer.toString(shard.index()), "shards", Integer.toString(shard.count()));
    }
}
