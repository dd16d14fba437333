package dev.crcexporter.report;

import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.capacity.Recommendation;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What a report covers and how it recommends.
 *
 * @param from            first date, inclusive, in each account's zone
 * @param to              last date, inclusive
 * @param selection       the hours that count (--business-hours, --business-days)
 * @param percentile      of the hourly peaks, for the recommendation (--percentile, default 99)
 * @param headroomPercent added to that percentile (--headroom, default 10)
 */
public record ReportOptions(LocalDate from, LocalDate to, HourSelection selection, BigDecimal percentile,
        BigDecimal headroomPercent) {
    public static final BigDecimal DEFAULT_PERCENTILE = BigDecimal.valueOf(99);
    public static final BigDecimal DEFAULT_HEADROOM = BigDecimal.valueOf(10);
    /** Days in the default period: the 90 days up to yesterday. */
    public static final int DEFAULT_DAYS = 90;

    public ReportOptions {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--from (" + from + ") must not be after --to (" + to + ")");
        }
        if (percentile.signum() <= 0 || percentile.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("--percentile must be greater than 0 and at most 100 (got " + percentile.toPlainString() + ")");
        }
        if (headroomPercent.signum() < 0 || headroomPercent.compareTo(BigDecimal.valueOf(1000)) > 0) {
            throw new IllegalArgumentException("--headroom must be between 0 and 1000 percent (got " + headroomPercent.toPlainString() + ")");
        }
    }

    /** Dates in the period. */
    public long days() {
        return to.toEpochDay() - from.toEpochDay() + 1;
    }

    public String rule() {
        return Recommendation.rule(percentile, headroomPercent, selection);
    }
}
