package dev.crcexporter.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    private static BigDecimal p(String value) {
        return new BigDecimal(value);
    }

    @Test
    void nearestRankIsAnObservedValue() {
        long[] values = {15, 20, 35, 40, 50}; // the classic example: p30 -> rank 2 -> 20, p40 -> 20, p50 -> 35
        assertThat(Percentiles.nearestRank(values, p("30"))).hasValue(20);
        assertThat(Percentiles.nearestRank(values, p("40"))).hasValue(20);
        assertThat(Percentiles.nearestRank(values, p("50"))).hasValue(35);
        assertThat(Percentiles.nearestRank(values, p("100"))).hasValue(50);
        assertThat(Percentiles.nearestRank(values, p("0.1"))).hasValue(15);
    }

    @Test
    void orderDoesNotMatterAndTheInputIsNotChanged() {
        long[] values = {50, 15, 40, 20, 35};
        assertThat(Percentiles.nearestRank(values, p("50"))).hasValue(35);
        assertThat(values).containsExactly(50, 15, 40, 20, 35);
    }

    @Test
    void rankIsExactForDecimalPercentiles() {
        // 0.99 * 100 = 99 exactly (not 99.00000000000001): rank 99, not 100
        assertThat(Percentiles.rank(p("99"), 100)).isEqualTo(99);
        assertThat(Percentiles.rank(p("99.5"), 1000)).isEqualTo(995);
        assertThat(Percentiles.rank(p("99.5"), 1001)).isEqualTo(996); // 995.995 rounds up
    }

    @Test
    void noValuesNoPercentile() {
        assertThat(Percentiles.nearestRank(new long[0], p("99"))).isEmpty();
    }

    @Test
    void percentileOutsideItsRangeIsRefused() {
        assertThatThrownBy(() -> Percentiles.rank(p("0"), 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.rank(p("100.1"), 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
