package dev.crcexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.config.Shard;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShardInfoTest {
    private static PrometheusRegistry registry() {
        PrometheusRegistry registry = new PrometheusRegistry();
        new ShardInfo(new Shard(3, 10)).register(registry);
        return registry;
    }

    @Test
    void exposesTheShardAndTheNumberOfShardsInPrometheusText() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry().scrape());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                # HELP crc_exporter_shard_info Shard of the accounts this replica polls and exposes (--shard=shard/shards, counted from 0).
                # TYPE crc_exporter_shard_info gauge
                crc_exporter_shard_info{shard="3",shards="10"} 1
                """);
    }

    @Test
    void isAnInfoMetricInOpenMetrics() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter.create().write(out, registry().scrape());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                # TYPE crc_exporter_shard info
                # HELP crc_exporter_shard Shard of the accounts this replica polls and exposes (--shard=shard/shards, counted from 0).
                crc_exporter_shard_info{shard="3",shards="10"} 1
                # EOF
                """);
    }

    @Test
    void everyScrapeReturnsTheSameSnapshotSoTheRenderedAnswerIsReused() {
        PrometheusRegistry registry = registry();
        assertThat(registry.scrape().get(0)).isSameAs(registry.scrape().get(0));
    }
}
