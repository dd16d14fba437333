package dev.crcexporter.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RecommendationTest {
    private static Recommendation of(long[] hours, String percentile, String headroom, int capacity) {
        return Recommendation.of(hours, new BigDecimal(percentile), new BigDecimal(headroom), OptionalInt.of(capacity),
                HourSelection.ALL).orElseThrow();
    }

    @Test
    void headroomIsExactDecimalArithmetic() {
        // 40 * 1.1 is 44.00000000000001 in binary floating point, which would round up to 45
        Recommendation recommendation = of(new long[] {40}, "99", "10", 50);
        assertThat(recommendation.ports()).isEqualTo(44);
        assertThat(recommendation.arithmetic(new BigDecimal("99"), BigDecimal.TEN))
                .isEqualTo("99th percentile of 1 hourly peaks = 40, + 10 % = 44");
    }

    @Test
    void atCapacityTheRecommendationIsALowerBound() {
        Recommendation recommendation = of(new long[] {3, 40, 40}, "50", "0", 40);
        assertThat(recommendation.ports()).isEqualTo(40);
        assertThat(recommendation.lowerBound()).isTrue();
        assertThat(recommendation.portsText()).isEqualTo("at least 40");
        assertThat(recommendation.arithmetic(new BigDecimal("50"), BigDecimal.ZERO))
                .isEqualTo("50th percentile of 3 hourly peaks = 40 (the capacity: demand above it was not seen), + 0 % = at least 40");
    }

    @Test
    void ruleInWords() {
        assertThat(Recommendation.rule(new BigDecimal("99.5"), new BigDecimal("12.5"), HourSelection.ALL))
                .isEqualTo("the ports that covered every hour but the busiest 0.5 % of hours, plus 12.5 % headroom, rounded up");
        assertThat(Recommendation.rule(new BigDecimal("100"), BigDecimal.ZERO, HourSelection.ALL))
                .isEqualTo("the ports that covered every one of the hours, plus 0 % headroom, rounded up");
    }

    @Test
    void ordinals() {
        assertThat(Recommendation.ordinal(new BigDecimal("99"))).isEqualTo("99th");
        assertThat(Recommendation.ordinal(new BigDecimal("91"))).isEqualTo("91st");
        assertThat(Recommendation.ordinal(new BigDecimal("92"))).isEqualTo("92nd");
        assertThat(Recommendation.ordinal(new BigDecimal("93"))).isEqualTo("93rd");
        assertThat(Recommendation.ordinal(new BigDecimal("11"))).isEqualTo("11th");
        assertThat(Recommendation.ordinal(new BigDecimal("99.9"))).isEqualTo("99.9th");
        assertThat(Recommendation.ordinal(new BigDecimal("100"))).isEqualTo("100th");
    }
}
