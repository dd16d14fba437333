package dev.crcexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.testing.SimulatedAccounts;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.expositionformats.generated.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Writing the CRC families a slice of accounts at a time gives exactly client_java's output for the whole families. */
class CrcExpositionTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    private static final BuildInfo BUILD = new BuildInfo("1.2.3", "abc123def456", "17.0.15");

    private static SnapshotStore accounts(int count) {
        return SimulatedAccounts.store(count, NOW, SHANGHAI);
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ExpositionFormatWriter writer : List.of(PrometheusTextFormatWriter.create(), OpenMetricsTextFormatWriter.create(),
                new PrometheusProtobufWriter())) {
            for (int accounts : new int[] {0, 1, 5, 130}) {
                for (int perSlice : new int[] {1, 7, 64}) {
                    cases.add(Arguments.of(writer, accounts, perSlice));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} accounts, {2} per slice")
    @MethodSource("cases")
    void slicesJoinedAreByteForByteTheWholeFamilies(ExpositionFormatWriter writer, int accounts, int perSlice) throws IOException {
        CrcMetrics metrics = new CrcMetrics(accounts(accounts), Clock.fixed(NOW, ZoneOffset.UTC), SHANGHAI, BUILD, Optional.empty(), Optional.empty());
        PrometheusRegistry registry = new PrometheusRegistry();
        metrics.register(registry);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        writer.write(whole, registry.scrape(), EscapingScheme.DEFAULT);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        new CrcExposition(metrics, perSlice).write(metrics.view(), writer, EscapingScheme.DEFAULT, joined);
        if (writer instanceof OpenMetricsTextFormatWriter) {
            assertThat(joined.toString(StandardCharsets.UTF_8)).doesNotContain("# EOF");
            joined.write("# EOF\n".getBytes(StandardCharsets.US_ASCII)); // the JVM part ends the scrape
        }

        assertThat(joined.toByteArray()).isEqualTo(whole.toByteArray());
        if (writer instanceof PrometheusProtobufWriter && accounts > 0) {
            // and it is what a protobuf parser reads: one message per family, every series in it
            ByteArrayInputStream in = new ByteArrayInputStream(joined.toByteArray());
            List<String> names = new ArrayList<>();
            int series = 0;
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                names.add(family.getName());
                series += family.getMetricCount();
            }
            assertThat(names).doesNotHaveDuplicates().contains("crc_up", "crc_ports_max_usage");
            assertThat(series).isEqualTo(registry.scrape().stream().mapToInt(s -> s.getDataPoints().size()).sum());
        }
    }

    @ParameterizedTest(name = "escaping {0}")
    @org.junit.jupiter.params.provider.EnumSource(EscapingScheme.class)
    void everyEscapingSchemeGivesTheWritersOutput(EscapingScheme escaping) throws IOException {
        CrcMetrics metrics = new CrcMetrics(accounts(9), Clock.fixed(NOW, ZoneOffset.UTC), SHANGHAI, BUILD, Optional.empty(), Optional.empty());
        PrometheusRegistry registry = new PrometheusRegistry();
        metrics.register(registry);
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        writer.write(whole, registry.scrape(), escaping);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        new CrcExposition(metrics, 2).write(metrics.view(), writer, escaping, joined);
        assertThat(joined.toString(StandardCharsets.UTF_8)).isEqualTo(whole.toString(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void everySliceRenderedIsReportedSoThatTheConnectionIsNotTakenForIdle() throws IOException {
        int accounts = 130;
        int perSlice = 7;
        CrcMetrics metrics = new CrcMetrics(accounts(accounts), Clock.fixed(NOW, ZoneOffset.UTC), SHANGHAI, BUILD, Optional.empty(), Optional.empty());
        int slices = (accounts + perSlice - 1) / perSlice;
        for (ExpositionFormatWriter writer : List.of(PrometheusTextFormatWriter.create(), new PrometheusProtobufWriter())) {
            int[] reported = new int[1];
            CrcExposition.Cursor cursor = new CrcExposition(metrics, perSlice)
                    .cursor(metrics.view(), writer, EscapingScheme.DEFAULT, () -> reported[0]++);
            while (cursor.writeNext(new ByteArrayOutputStream())) {
                // protobuf renders each family twice: once to count its length
            }
            int perFamily = writer instanceof PrometheusProtobufWriter ? 2 * slices : slices;
            long expected = metrics.families().stream().mapToLong(f -> f.perAccount() ? perFamily : 1).sum();
            assertThat(reported[0]).as("%s", writer.getClass().getSimpleName()).isEqualTo(expected);
        }
    }
}
