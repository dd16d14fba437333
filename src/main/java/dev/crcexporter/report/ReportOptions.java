package dev.crcexporter.report;

import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.capacity.RecommendationRule;
import java.time.LocalDate;

/**
 * What a report covers and how it recommends.
 *
 * @param from first date, inclusive, in each account's zone
 * @param to   last date, inclusive
 * @param rule the recommendation (--percentile, --headroom, --horizon) over the selected hours (--business-hours,
 *             --business-days), which every figure counts
 */
public record ReportOptions(LocalDate from, LocalDate to, RecommendationRule rule) {
    /** Days in the default period: the 90 days up to yesterday. */
    public static final int DEFAULT_DAYS = 90;

    public ReportOptions {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--from (" + from + ") must not be after --to (" + to + ")");
        }
    }

    /** Dates in the period. */
    public long days() {
        return to.toEpochDay() - from.toEpochDay() + 1;
    }

    public HourSelection selection() {
        return rule.selection();
    }

    /** The period for people: "2026-08-28 to 2026-11-25 (90 days)". */
    public String window() {
        return from + " to " + to + " (" + days() + (days() == 1 ? " day)" : " days)");
    }
}
