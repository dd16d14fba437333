package dev.crcexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.Shard;
import dev.crcexporter.poll.SnapshotStore;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShardInfoTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:15:00Z");

    private static PrometheusRegistry registry(Optional<Shard> shard) {
        PrometheusRegistry registry = new PrometheusRegistry();
        new CrcMetrics(new SnapshotStore(List.of()), Clock.fixed(NOW, ZoneOffset.UTC), ZoneOffset.UTC,
                new BuildInfo("test", "test", "17"), shard, Optional.empty(), true).register(registry);
        return registry;
    }

    private static MetricSnapshots shardFamily(PrometheusRegistry registry) {
        return registry.scrape(name -> name.startsWith("crc_exporter_shard"));
    }

    @Test
    void exposesTheShardAndTheNumberOfShardsInPrometheusText() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, shardFamily(registry(Optional.of(new Shard(3, 10)))));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                # HELP crc_exporter_shard_info Shard of the accounts this replica polls and exposes \
                (--shard=shard/shards, counted from 0).
                # TYPE crc_exporter_shard_info gauge
                crc_exporter_shard_info{shard="3",shards="10"} 1
                """);
    }

    @Test
    void isAnInfoMetricInOpenMetrics() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter.create().write(out, shardFamily(registry(Optional.of(new Shard(3, 10)))));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                # TYPE crc_exporter_shard info
                # HELP crc_exporter_shard Shard of the accounts this replica polls and exposes (--shard=shard/shards, \
                counted from 0).
                crc_exporter_shard_info{shard="3",shards="10"} 1
                # EOF
                """);
    }

    @Test
    void isAbsentWithoutAShard() {
        assertThat(shardFamily(registry(Optional.empty()))).isEmpty();
        assertThat(registry(Optional.empty()).scrape().stream().map(f -> f.getMetadata().getPrometheusName()))
                .contains("crc_up").doesNotContain("crc_exporter_shard");
    }
}
