package dev.crcexporter.capacity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How many ports to have, the one rule of the landing page and the report: the P-th percentile (nearest rank) of the
 * selected hourly peaks, plus what the trend of weekly peaks adds over a horizon of some months (nothing when it does
 * not grow, so never less than today's demand), plus H % headroom, rounded up. Exact decimal arithmetic, so 40 plus
 * 10 % is 44, not 45.
 *
 * @param percentile      of the hourly peaks, in (0, 100]
 * @param headroomPercent added on top, 0 to 1000
 * @param selection       the hours that count
 * @param horizonMonths   how far ahead the trend is followed, 0 to {@value #MAX_HORIZON_MONTHS}; 0 is today's demand
 */
public record RecommendationRule(BigDecimal percentile, BigDecimal headroomPercent, HourSelection selection,
        int horizonMonths) {
    static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal WEEKS_PER_MONTH = BigDecimal.valueOf(52).divide(BigDecimal.valueOf(12), 10,
            RoundingMode.HALF_UP);
    public static final BigDecimal DEFAULT_PERCENTILE = BigDecimal.valueOf(99);
    public static final BigDecimal DEFAULT_HEADROOM = BigDecimal.valueOf(10);
    /** A purchase usually covers a year. */
    public static final int DEFAULT_HORIZON_MONTHS = 12;
    public static final int MAX_HORIZON_MONTHS = 60;
    /**
     * The landing page's: the default percentile and headroom over all hours, for the demand of its 30 days as it is
     * (a month holds three or four complete weeks, too few to extend a trend by a year; the report does that).
     */
    public static final RecommendationRule CURRENT_DEMAND = new RecommendationRule(DEFAULT_PERCENTILE, DEFAULT_HEADROOM,
            HourSelection.ALL, 0);

    public RecommendationRule {
        if (percentile.signum() <= 0 || percentile.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("--percentile must be greater than 0 and at most 100 (got "
                    + percentile.toPlainString() + ")");
        }
        if (headroomPercent.signum() < 0 || headroomPercent.compareTo(BigDecimal.valueOf(1000)) > 0) {
            throw new IllegalArgumentException("--headroom must be between 0 and 1000 percent (got "
                    + headroomPercent.toPlainString() + ")");
        }
        if (horizonMonths < 0 || horizonMonths > MAX_HORIZON_MONTHS) {
            throw new IllegalArgumentException("--horizon must be between 0 and " + MAX_HORIZON_MONTHS
                    + " months (got " + horizonMonths + ")");
        }
    }

    /** The horizon in whole weeks, as the trend counts: 52 weeks a year, 12 months 52 weeks, 1 month 4. */
    public int horizonWeeks() {
        return BigDecimal.valueOf(horizonMonths).multiply(WEEKS_PER_MONTH).setScale(0, RoundingMode.HALF_UP)
                .intValueExact();
    }

    /**
     * The recommendation for these hourly peaks; empty when no hour was reported.
     *
     * @param trendPerWeek the slope of the weekly peaks in ports per week, empty when too few weeks were complete
     */
    public Optional<Recommendation> recommend(long[] hourlyPeaks, OptionalInt capacity, OptionalDouble trendPerWeek) {
        if (hourlyPeaks.length == 0) {
            return Optional.empty();
        }
        long basis = Percentiles.nearestRank(hourlyPeaks, percentile).getAsLong();
        // The slope as it is shown (two decimals), so that the arithmetic printed can be redone by hand.
        Optional<BigDecimal> trend = horizonMonths == 0 || trendPerWeek.isEmpty() ? Optional.empty()
                : Optional.of(BigDecimal.valueOf(trendPerWeek.getAsDouble()).setScale(2, RoundingMode.HALF_UP));
        BigDecimal growth = trend.filter(t -> t.signum() > 0).map(t -> t.multiply(BigDecimal.valueOf(horizonWeeks())))
                .orElse(BigDecimal.ZERO);
        BigDecimal demand = BigDecimal.valueOf(basis).add(growth);
        long ports = demand.multiply(HUNDRED.add(headroomPercent)).divide(HUNDRED, 0, RoundingMode.CEILING)
                .longValueExact();
        boolean lowerBound = capacity.isPresent() && basis >= capacity.getAsInt();
        return Optional.of(new Recommendation(this, ports, basis, hourlyPeaks.length, lowerBound, trend, growth));
    }

    /** The rule in words, the same for every account: "the ports that covered every hour but the busiest 1 % ...". */
    public String text() {
        BigDecimal busiest = HUNDRED.subtract(percentile).stripTrailingZeros();
        String hours = selection.allHours() && selection.allDays() ? "hours"
                : "selected hours (" + selection.describe() + ")";
        String cover = busiest.signum() == 0 ? "the ports that covered every one of the " + hours
                : "the ports that covered every hour but the busiest " + busiest.toPlainString() + " % of " + hours;
        String growth = horizonMonths == 0 ? "" : ", plus the growth of the weekly peaks' trend over the next "
                + months() + " (none when they do not grow)";
        return cover + growth + ", plus " + headroomPercent.stripTrailingZeros().toPlainString()
                + " % headroom, rounded up";
    }

    /** The rule in a few words, for a card: "99th percentile of hourly peaks + 10 % headroom". */
    public String shortText() {
        return Recommendation.ordinal(percentile) + " percentile of " + (selection.allHours() && selection.allDays()
                ? "hourly peaks" : "selected hourly peaks (" + selection.describe() + ")")
                + (horizonMonths == 0 ? "" : " + " + months() + " of the weekly trend") + " + "
                + headroomPercent.stripTrailingZeros().toPlainString() + " % headroom";
    }

    /** "12 months", "1 month". */
    public String months() {
        return horizonMonths + (horizonMonths == 1 ? " month" : " months");
    }
}
