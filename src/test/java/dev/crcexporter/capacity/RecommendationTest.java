package dev.crcexporter.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RecommendationTest {
    private static RecommendationRule rule(String percentile, String headroom, int horizonMonths) {
        return new RecommendationRule(new BigDecimal(percentile), new BigDecimal(headroom), HourSelection.ALL,
                horizonMonths);
    }

    private static Recommendation of(long[] hours, String percentile, String headroom, int capacity) {
        return rule(percentile, headroom, 0).recommend(hours, OptionalInt.of(capacity), OptionalDouble.empty())
                .orElseThrow();
    }

    @Test
    void headroomIsExactDecimalArithmetic() {
        // 40 * 1.1 is 44.00000000000001 in binary floating point, which would round up to 45
        Recommendation recommendation = of(new long[] {40}, "99", "10", 50);
        assertThat(recommendation.ports()).isEqualTo(44);
        assertThat(recommendation.arithmetic()).isEqualTo("99th percentile of 1 hourly peaks = 40, + 10 % = 44");
    }

    @Test
    void atCapacityTheRecommendationIsALowerBound() {
        Recommendation recommendation = of(new long[] {3, 40, 40}, "50", "0", 40);
        assertThat(recommendation.ports()).isEqualTo(40);
        assertThat(recommendation.lowerBound()).isTrue();
        assertThat(recommendation.portsText()).isEqualTo("at least 40");
        assertThat(recommendation.arithmetic())
                .isEqualTo("50th percentile of 3 hourly peaks = 40 (the capacity: demand above it was not seen),"
                        + " + 0 % = at least 40");
    }

    @Test
    void aGrowingTrendIsFollowedThroughTheHorizon() {
        // 99th percentile of {10, 20, 30} = 30; +0.25 ports a week for 12 months (52 weeks) = 13 more: 43;
        // + 10 % = 47.3 -> 48. Without a horizon: 30 + 10 % = 33.
        long[] hours = {10, 20, 30};
        Recommendation year = rule("99", "10", 12).recommend(hours, OptionalInt.of(40), OptionalDouble.of(0.25))
                .orElseThrow();
        assertThat(year.ports()).isEqualTo(48);
        assertThat(year.growth()).isEqualByComparingTo("13");
        assertThat(year.arithmetic()).isEqualTo("99th percentile of 3 hourly peaks = 30, +0.25 ports/week x 52 weeks"
                + " (12 months) = 43, + 10 % = 47.3, rounded up to 48");
        assertThat(year.change(OptionalInt.of(40))).isEqualTo(OptionalLong.of(8));
        Recommendation today = rule("99", "10", 0).recommend(hours, OptionalInt.of(40), OptionalDouble.of(0.25))
                .orElseThrow();
        assertThat(today.ports()).isEqualTo(33);
        assertThat(today.change(OptionalInt.of(40))).isEqualTo(OptionalLong.of(-7));
        assertThat(today.change(OptionalInt.empty())).isEmpty();
    }

    @Test
    void theSlopeIsTakenAsShownToTwoDecimals() {
        // 0.125 is shown as +0.13: 20 + 0.13 * 26 weeks (6 months) = 23.38, + 0 % -> 24
        Recommendation half = rule("100", "0", 6).recommend(new long[] {20}, OptionalInt.empty(),
                OptionalDouble.of(0.125))
                .orElseThrow();
        assertThat(half.trendPerWeek()).hasValueSatisfying(t -> assertThat(t).isEqualByComparingTo("0.13"));
        assertThat(half.ports()).isEqualTo(24);
        assertThat(half.arithmetic()).isEqualTo("100th percentile of 1 hourly peaks = 20, +0.13 ports/week x 26 weeks"
                + " (6 months) = 23.38, + 0 % = 23.38, rounded up to 24");
    }

    @Test
    void neverLessThanTodayWhenTheTrendFallsOrIsUnknown() {
        Recommendation falling = rule("99", "10", 12).recommend(new long[] {30}, OptionalInt.of(40),
                OptionalDouble.of(-0.5))
                .orElseThrow();
        assertThat(falling.ports()).isEqualTo(33);
        assertThat(falling.arithmetic())
                .isEqualTo("99th percentile of 1 hourly peaks = 30 (trend -0.50 ports/week: no growth"
                        + " over 12 months), + 10 % = 33");
        Recommendation unknown = rule("99", "10", 12).recommend(new long[] {30}, OptionalInt.of(40),
                OptionalDouble.empty())
                .orElseThrow();
        assertThat(unknown.ports()).isEqualTo(33);
        assertThat(unknown.arithmetic())
                .isEqualTo("99th percentile of 1 hourly peaks = 30 (no trend to follow: fewer than"
                        + " two complete weeks), + 10 % = 33");
    }

    @Test
    void horizonInWeeks() {
        assertThat(rule("99", "10", 12).horizonWeeks()).isEqualTo(52);
        assertThat(rule("99", "10", 1).horizonWeeks()).isEqualTo(4); // 4.33
        assertThat(rule("99", "10", 2).horizonWeeks()).isEqualTo(9); // 8.67
        assertThat(rule("99", "10", 0).horizonWeeks()).isZero();
        assertThatThrownBy(() -> rule("99", "10", -1)).hasMessage("--horizon must be between 0 and 60 months (got -1)");
        assertThatThrownBy(() -> rule("99", "10", 61)).hasMessage("--horizon must be between 0 and 60 months (got 61)");
    }

    @Test
    void noHourNoRecommendation() {
        assertThat(rule("99", "10", 12).recommend(new long[0], OptionalInt.of(4), OptionalDouble.of(1))).isEmpty();
    }

    @Test
    void ruleInWords() {
        assertThat(rule("99.5", "12.5", 0).text())
                .isEqualTo("the ports that covered every hour but the busiest 0.5 % of hours, plus 12.5 % headroom,"
                        + " rounded up");
        assertThat(rule("100", "0", 0).text())
                .isEqualTo("the ports that covered every one of the hours, plus 0 % headroom, rounded up");
        assertThat(rule("99", "10", 12).text())
                .isEqualTo("the ports that covered every hour but the busiest 1 % of hours, plus the growth of"
                        + " the weekly peaks' trend over the next 12 months (none when they do not grow), plus 10 %"
                        + " headroom, rounded up");
        assertThat(RecommendationRule.CURRENT_DEMAND.shortText())
                .isEqualTo("99th percentile of hourly peaks + 10 % headroom");
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
