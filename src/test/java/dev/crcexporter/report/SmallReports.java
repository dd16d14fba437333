package dev.crcexporter.report;

import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.capacity.RecommendationRule;
import dev.crcexporter.report.CapacityReport.FailedAccount;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * Whole reports of {@link SmallDataSet} for the format tests: hq (capacity 10), branch (no capacity), broken
 * (failed).
 */
final class SmallReports {
    static final Instant MADE = Instant.parse("2026-04-14T06:00:00Z");
    /** Quotes, a comma, markup and a line break: what CSV, JSON and HTML must carry unharmed. */
    static final String ERROR = "api_status: API status 401: invalid \"key\", <b>see</b> the\nvendor";

    private SmallReports() {}

    /** The period of {@link SmallDataSet} with the report's default rule (99th percentile, 10 %, 12 months). */
    static ReportOptions options(HourSelection selection) {
        return options(selection, RecommendationRule.DEFAULT_HORIZON_MONTHS);
    }

    static ReportOptions options(HourSelection selection, int horizonMonths) {
        return new ReportOptions(SmallDataSet.FROM, SmallDataSet.TO, new RecommendationRule(
                RecommendationRule.DEFAULT_PERCENTILE, RecommendationRule.DEFAULT_HEADROOM, selection, horizonMonths));
    }

    static CapacityReport threeAccounts() {
        ReportOptions options = options(HourSelection.ALL);
        return new CapacityReport(options, MADE, List.of(
                AccountStatistics.compute("hq", SmallDataSet.CAPACITY, SmallDataSet.ZONE, SmallDataSet.days(), options),
                AccountStatistics.compute("branch", OptionalInt.empty(), SmallDataSet.ZONE, SmallDataSet.days(),
                        options),
                new FailedAccount("broken", ERROR)));
    }
}
