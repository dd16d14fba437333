package dev.crcexporter.capacity;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How many ports to have, by {@link RecommendationRule#recommend}.
 *
 * @param rule         the rule it was made by
 * @param ports        the recommended number of ports
 * @param basis        the percentile of the hourly peaks it starts from
 * @param hours        how many hourly peaks the percentile was taken over
 * @param lowerBound   the percentile reached the capacity: demand above it was never seen, so more may be needed
 * @param trendPerWeek the weekly peaks' trend followed over the horizon, in ports per week to two decimals; empty
 *                     without a horizon or with too few complete weeks to fit one
 * @param growth       ports the trend adds over the horizon (0 when it does not grow)
 */
public record Recommendation(RecommendationRule rule, long ports, long basis, int hours, boolean lowerBound,
        Optional<BigDecimal> trendPerWeek, BigDecimal growth) {

    /** "44", or "at least 44" when the percentile is a lower bound. */
    public String portsText() {
        return (lowerBound ? "at least " : "") + ports;
    }

    /** Recommended minus purchased: positive when the account is short of ports; empty without a capacity. */
    public OptionalLong change(OptionalInt capacity) {
        return capacity.isPresent() ? OptionalLong.of(ports - capacity.getAsInt()) : OptionalLong.empty();
    }

    /**
     * The arithmetic behind {@link #ports}: "99th percentile of 2,160 hourly peaks = 37, + 10 % = 40.7, rounded up to
     * 41"; with a horizon "99th percentile of 2,160 hourly peaks = 37, + 0.30 ports/week x 52 weeks (12 months) =
     * 52.6, + 10 % = 57.86, rounded up to 58".
     */
    public String arithmetic() {
        BigDecimal demand = BigDecimal.valueOf(basis).add(growth);
        BigDecimal exact = demand.multiply(RecommendationRule.HUNDRED.add(rule.headroomPercent()))
                .divide(RecommendationRule.HUNDRED).stripTrailingZeros();
        String result = exact.compareTo(BigDecimal.valueOf(ports)) == 0 ? "= " + portsText()
                : "= " + exact.toPlainString() + ", rounded up to " + portsText();
        String start = String.format(Locale.ROOT, "%s percentile of %,d hourly peaks = %d%s",
                ordinal(rule.percentile()), hours, basis,
                lowerBound ? " (the capacity: demand above it was not seen)" : "");
        return start + growthText(demand) + ", + " + rule.headroomPercent().stripTrailingZeros().toPlainString() + " % "
                + result;
    }

    private String growthText(BigDecimal demand) {
        if (rule.horizonMonths() == 0) {
            return "";
        }
        if (trendPerWeek.isEmpty()) {
            return " (no trend to follow: fewer than two complete weeks)";
        }
        String trend = String.format(Locale.ROOT, "%+.2f ports/week", trendPerWeek.get());
        if (growth.signum() == 0) {
            return " (trend " + trend + ": no growth over " + rule.months() + ")";
        }
        return ", " + trend + " x " + rule.horizonWeeks() + " weeks (" + rule.months() + ") = "
                + demand.stripTrailingZeros().toPlainString();
    }

    /** "99th", "99.5th", "1st", "2nd", "3rd", "11th". */
    public static String ordinal(BigDecimal percentile) {
        String number = percentile.stripTrailingZeros().toPlainString();
        if (number.contains(".")) {
            return number + "th";
        }
        int n = percentile.intValue();
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return number + suffix;
    }
}
