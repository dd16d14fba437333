package dev.crcexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReloadMetricsTest {
    private static final Instant STARTED = Instant.parse("2026-11-27T01:00:00Z");

    private static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theStartCountsAsTheFirstSuccessfulLoad() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ReloadMetrics(STARTED));
        assertThat(scrape(registry)).isEqualTo("""
                # HELP crc_exporter_config_last_reload_success_timestamp_seconds Unix time the configuration in force \
                was applied, at start or by a reload.
                # TYPE crc_exporter_config_last_reload_success_timestamp_seconds gauge
                crc_exporter_config_last_reload_success_timestamp_seconds 1.7957412E9
                # HELP crc_exporter_config_last_reload_successful 1 if the last reload of the configuration files \
                applied, else 0 (the configuration in force stays).
                # TYPE crc_exporter_config_last_reload_successful gauge
                crc_exporter_config_last_reload_successful 1.0
                """);
    }

    @Test
    void aFailureDropsTheGaugeAndKeepsTheTimeOfTheConfigurationInForce() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        ReloadMetrics metrics = new ReloadMetrics(STARTED);
        registry.register(metrics);
        metrics.succeeded(STARTED.plusSeconds(60));
        metrics.failed();
        String text = scrape(registry);
        assertThat(text).contains("crc_exporter_config_last_reload_successful 0.0\n",
                "crc_exporter_config_last_reload_success_timestamp_seconds 1.79574126E9\n");
        metrics.succeeded(STARTED.plusSeconds(120));
        assertThat(scrape(registry)).contains("crc_exporter_config_last_reload_successful 1.0\n",
                "crc_exporter_config_last_reload_success_timestamp_seconds 1.79574132E9\n");
    }

    @Test
    void scrapesBetweenReloadsGetTheSameSnapshotsSoTheRenderedAnswerIsReused() {
        PrometheusRegistry registry = new PrometheusRegistry();
        ReloadMetrics metrics = new ReloadMetrics(STARTED);
        registry.register(metrics);
        var before = registry.scrape().get(0);
        assertThat(registry.scrape().get(0)).isSameAs(before);
        metrics.failed();
        assertThat(registry.scrape().get(0)).isNotSameAs(before);
    }
}
