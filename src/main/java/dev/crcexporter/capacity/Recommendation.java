package dev.crcexporter.capacity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How many ports to have: the P-th percentile (nearest rank) of the selected hourly peaks, plus H % headroom,
 * rounded up. Exact decimal arithmetic, so 40 plus 10 % is 44, not 45.
 *
 * @param ports        the recommended number of ports
 * @param basis        the percentile of the hourly peaks it starts from
 * @param hours        how many hourly peaks the percentile was taken over
 * @param lowerBound   the percentile reached the capacity: demand above it was never seen, so more may be needed
 * @param rule         the rule in words, for example "the ports that covered every hour but the busiest 1 % of
 *                     hours, plus 10 % headroom, rounded up"
 */
public record Recommendation(long ports, long basis, int hours, boolean lowerBound, String rule) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** Empty when no hour was reported. */
    public static Optional<Recommendation> of(long[] hourlyPeaks, BigDecimal percentile, BigDecimal headroomPercent,
            OptionalInt capacity, HourSelection selection) {
        if (hourlyPeaks.length == 0) {
            return Optional.empty();
        }
        long basis = Percentiles.nearestRank(hourlyPeaks, percentile).getAsLong();
        long ports = BigDecimal.valueOf(basis).multiply(HUNDRED.add(headroomPercent))
                .divide(HUNDRED, 0, RoundingMode.CEILING).longValueExact();
        boolean lowerBound = capacity.isPresent() && basis >= capacity.getAsInt();
        return Optional.of(new Recommendation(ports, basis, hourlyPeaks.length, lowerBound,
                rule(percentile, headroomPercent, selection)));
    }

    /** The rule in words, the same for every account of a report. */
    public static String rule(BigDecimal percentile, BigDecimal headroomPercent, HourSelection selection) {
        BigDecimal busiest = HUNDRED.subtract(percentile).stripTrailingZeros();
        String hours = selection.allHours() && selection.allDays() ? "hours" : "selected hours (" + selection.describe() + ")";
        String cover = busiest.signum() == 0 ? "the ports that covered every one of the " + hours
                : "the ports that covered every hour but the busiest " + busiest.toPlainString() + " % of " + hours;
        return cover + ", plus " + headroomPercent.stripTrailingZeros().toPlainString() + " % headroom, rounded up";
    }

    /** "44", or "at least 44" when the percentile is a lower bound. */
    public String portsText() {
        return (lowerBound ? "at least " : "") + ports;
    }

    /**
     * The arithmetic behind {@link #ports}: "99th percentile of 2,160 hourly peaks = 37, + 10 % = 40.7, rounded up
     * to 41".
     */
    public String arithmetic(BigDecimal percentile, BigDecimal headroomPercent) {
        BigDecimal exact = BigDecimal.valueOf(basis).multiply(HUNDRED.add(headroomPercent)).divide(HUNDRED).stripTrailingZeros();
        String result = exact.compareTo(BigDecimal.valueOf(ports)) == 0 ? "= " + portsText()
                : "= " + exact.toPlainString() + ", rounded up to " + portsText();
        return String.format(Locale.ROOT, "%s percentile of %,d hourly peaks = %d%s, + %s %% %s", ordinal(percentile),
                hours, basis, lowerBound ? " (the capacity: demand above it was not seen)" : "",
                headroomPercent.stripTrailingZeros().toPlainString(), result);
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
