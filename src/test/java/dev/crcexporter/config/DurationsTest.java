package dev.crcexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"30s,PT30S", "5m,PT5M", "1h,PT1H", "1h30m,PT1H30M", "500ms,PT0.5S", "2d,PT48H", "1w,PT168H"})
    void readsPrometheusDurations(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 m", "m5", "-5m", "5min", "1.5h", "PT5M", "99999999999999999w",
            "9999999999999999999s", "300000000000000y"})
    void rejectsWhatPrometheusWouldNotRead(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"PT30S,30s", "PT5M,5m", "PT1H30M,1h30m", "PT0.25S,250ms", "PT0S,0s"})
    void formatsTheWayItReads(String iso, String text) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }
}
