package dev.crcexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.report.CapacityReport.FailedAccount;
import java.io.StringWriter;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The text report of {@link SmallReports#threeAccounts()}, whole: the figures are those of AccountStatisticsTest, the
 * recommendation over the default horizon of 12 months.
 */
class TextReportTest {
    @Test
    void goldenTextOfTheSmallDataSet() throws Exception {
        StringWriter out = new StringWriter();
        ReportFormat.TEXT.write(SmallReports.threeAccounts(), out);
        assertThat(out.toString()).isEqualTo("""
                CRC capacity report 2026-03-21 to 2026-04-13 (24 days), all hours, in each account's time zone

                Short of ports for the next 12 months: hq needs 114 more.

                account  capacity  peak  peak at                     daily p95  daily p99  h>=80% (days)  h@100% \
                (days)  data days  trend/week  reaches capacity           bought -> recommended
                hq             10  >=10  2026-04-07 10:00 (2 hours)          9       >=10          8 (7)          2 \
                (1)      23/24       +2.00  already, since 2026-04-06  10 -> 124 (+114) SHORT
                branch          -    10  2026-04-07 10:00 (2 hours)          9         10              -             \
                 -      23/24       +2.00  no capacity                - -> 124
                broken   FAILED (see notes)

                h>=80% (days), h@100% (days): hours at 80 % and at 100 % of capacity, and on how many days. >=N: at \
                capacity, demand was at least N.
                data days: days with data of the days in the period. reaches capacity: the week of the first day at \
                capacity, or the week the least-squares line of weekly peaks reaches it.
                bought -> recommended: the purchased ports and the recommendation below, with the difference; SHORT \
                where more are needed.

                Recommended ports, from 2026-03-21 to 2026-04-13 (24 days), for the next 12 months: the ports that \
                covered every hour but the busiest 1 % of hours, plus the growth of the weekly peaks' trend over the \
                next 12 months (none when they do not grow), plus 10 % headroom, rounded up.
                  hq: 124 (99th percentile of 547 hourly peaks = 8, +2.00 ports/week x 52 weeks (12 months) = 112, + \
                10 % = 123.2, rounded up to 124)
                  branch: 124 (99th percentile of 547 hourly peaks = 8, +2.00 ports/week x 52 weeks (12 months) = \
                112, + 10 % = 123.2, rounded up to 124)

                Notes:
                  hq: Demand was cut off at capacity: in 2 hours on 1 day (2026-04-07) all 10 purchased ports were \
                busy. For those hours the API can only report 10; how many more ports callers wanted is unknown, and \
                any further room system was refused. Figures shown as >=N are lower bounds of demand, and the trend \
                of weekly peaks (which the recommendation follows) underestimates growth.
                  hq: Missing data: 1 day without any data (2026-04-02) and 4 hours missing on days with data; 28 of \
                575 hours were not reported. They are left out of every figure, never counted as 0.
                  branch: Missing data: 1 day without any data (2026-04-02) and 4 hours missing on days with data; \
                28 of 575 hours were not reported. They are left out of every figure, never counted as 0.
                  branch: No capacity configured: hours near or at capacity, censoring and the week the trend \
                reaches capacity cannot be told.
                  broken: FAILED, skipped: api_status: API status 401: invalid "key", <b>see</b> the vendor
                """);
    }

    @Test
    void noCensoringNoteWithoutAnHourAtCapacity() throws Exception {
        ReportOptions options = SmallReports.options(HourSelection.ALL);
        CapacityReport report = new CapacityReport(options, SmallReports.MADE, List.of(AccountStatistics.compute("hq",
                OptionalInt.of(11), SmallDataSet.ZONE, SmallDataSet.days(), options)));
        StringWriter out = new StringWriter();
        ReportFormat.TEXT.write(report, out);
        assertThat(out.toString()).doesNotContain("cut off").doesNotContainPattern(" >=\\d").contains("Missing data");
    }

    @Test
    void controlCharactersOfAnUpstreamMessageDoNotReachTheTerminal() throws Exception {
        CapacityReport report = new CapacityReport(SmallReports.options(HourSelection.ALL), SmallReports.MADE,
                List.of(new FailedAccount("hq", "api_status: \u001b[2Jcleared\u0007")));
        StringWriter out = new StringWriter();
        ReportFormat.TEXT.write(report, out);
        assertThat(out.toString()).contains("hq: FAILED, skipped: api_status: ?[2Jcleared?")
                .doesNotContain("\u001b", "\u0007");
    }
}
