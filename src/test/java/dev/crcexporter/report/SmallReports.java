package dev.crcexporter.report;

import dev.crcexporter.capacity.HourSelection;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/** Whole reports of {@link SmallDataSet} for the format tests: hq (capacity 10), branch (no capacity), broken (failed). */
final class SmallReports {
    static final Instant MADE = Instant.parse("2026-04-14T06:00:00Z");
    /** Quotes, a comma, markup and a line break: what CSV, JSON and HTML must carry unharmed. */
    static final String ERROR = "api_status: API status 401: invalid \"key\", <b>see</b> the\nvendor";

    private SmallReports() {}

    static ReportOptions options(HourSelection selection) {
        return new ReportOptions(SmallDataSet.FROM, SmallDataSet.TO, selection, ReportOptions.DEFAULT_PERCENTILE,
                ReportOptions.DEFAULT_HEADROOM);
    }

    static CapacityReport threeAccounts() {
        ReportOptions options = options(HourSelection.ALL);
        return new CapacityReport(options, MADE, List.of(
                AccountStatistics.compute("hq", SmallDataSet.CAPACITY, SmallDataSet.ZONE, SmallDataSet.days(), options),
                AccountStatistics.compute("branch", OptionalInt.empty(), SmallDataSet.ZONE, SmallDataSet.days(), options),
                new FailedAccount("broken", ERROR)));
    }
}
