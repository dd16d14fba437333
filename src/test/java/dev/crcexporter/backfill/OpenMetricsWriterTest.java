package dev.crcexporter.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OpenMetricsWriterTest {
    @Test
    void writesFamiliesOnceSamplesContiguousAndEof() throws IOException {
        StringWriter text = new StringWriter();
        OpenMetricsWriter writer = new OpenMetricsWriter(text);

        writer.gauge("crc_ports_current_max_usage", "Peak \"ports\" \\ per hour.");
        writer.series("account", "hq");
        writer.sample(3, 1000);
        writer.sample(4, 1060);
        writer.series("account", "b\"r\\n");
        writer.sample(0, 1000);
        writer.gauge("crc_ports_capacity", "Purchased ports.");
        writer.series("account", "hq");
        writer.sample(40, 1000);
        writer.finish();

        assertThat(text.toString()).isEqualTo("""
                # TYPE crc_ports_current_max_usage gauge
                # HELP crc_ports_current_max_usage Peak \\"ports\\" \\\\ per hour.
                crc_ports_current_max_usage{account="hq"} 3 1000
                crc_ports_current_max_usage{account="hq"} 4 1060
                crc_ports_current_max_usage{account="b\\"r\\\\n"} 0 1000
                # TYPE crc_ports_capacity gauge
                # HELP crc_ports_capacity Purchased ports.
                crc_ports_capacity{account="hq"} 40 1000
                # EOF
                """);
    }

    @Test
    void aSampleNotAfterThePreviousOneOfItsSeriesIsDropped() throws IOException {
        StringWriter text = new StringWriter();
        OpenMetricsWriter writer = new OpenMetricsWriter(text);
        writer.gauge("g", "h");
        writer.series("account", "a");

        assertThat(writer.sample(1, 100)).isTrue();
        assertThat(writer.sample(2, 100)).isFalse();
        assertThat(writer.sample(3, 99)).isFalse();
        assertThat(writer.sample(4, 101)).isTrue();
        assertThat(text.toString()).doesNotContain(" 2 100", " 3 99").contains("g{account=\"a\"} 4 101\n");
    }
}
