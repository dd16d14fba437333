package dev.crcexporter.capacity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Percentiles by the nearest-rank method: the P-th percentile of n values is the smallest value such that at
 * least P % of the values are at most it, i.e. the value of rank ceil(P/100 * n) in ascending order. It is always
 * one of the observed values (a whole number of ports). Hours censored at capacity lie at or above it, so a
 * percentile below the capacity is exact; one at the capacity is only a lower bound.
 */
public final class Percentiles {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Percentiles() {}

    /** The rank (1-based) of the P-th percentile among {@code n} values; {@code percentile} in (0, 100]. */
    public static int rank(BigDecimal percentile, int n) {
        if (percentile.signum() <= 0 || percentile.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("percentile must be in (0, 100] (got " + percentile + ")");
        }
        int rank = percentile.multiply(BigDecimal.valueOf(n)).divide(HUNDRED, 0, RoundingMode.CEILING).intValueExact();
        return Math.max(1, rank);
    }

    /** The P-th percentile of {@code values} (any order; not changed), or empty when there are none. */
    public static OptionalLong nearestRank(long[] values, BigDecimal percentile) {
        if (values.length == 0) {
            return OptionalLong.empty();
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return OptionalLong.of(sorted[rank(percentile, sorted.length) - 1]);
    }
}
