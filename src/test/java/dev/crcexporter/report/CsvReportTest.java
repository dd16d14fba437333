package dev.crcexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.capacity.HourSelection;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The CSV read back with an independent parser (Apache Commons CSV): names, values, missing values, escaping. */
class CsvReportTest {
    private static List<CSVRecord> parse() throws Exception {
        StringWriter out = new StringWriter();
        ReportFormat.CSV.write(SmallReports.threeAccounts(), out);
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(out.toString()))) {
            assertThat(parser.getHeaderNames()).isEqualTo(ReportColumns.NAMES);
            return parser.getRecords();
        }
    }

    @Test
    void headerIsTheDocumentedNamesAndOneRowPerAccount() throws Exception {
        List<CSVRecord> rows = parse();
        assertThat(rows).extracting(r -> r.get("account")).containsExactly("hq", "branch", "broken");
        assertThat(rows).allSatisfy(r -> assertThat(r.size()).isEqualTo(ReportColumns.NAMES.size()));
    }

    @Test
    void figuresRoundTrip() throws Exception {
        CSVRecord hq = parse().get(0);
        assertThat(hq.get("status")).isEqualTo("ok");
        assertThat(hq.get("timezone")).isEqualTo("Europe/Berlin");
        assertThat(hq.get("capacity")).isEqualTo("10");
        assertThat(hq.get("peak")).isEqualTo("10");
        assertThat(hq.get("peak_date")).isEqualTo("2026-04-07");
        assertThat(hq.get("peak_hour")).isEqualTo("10");
        assertThat(hq.get("daily_peak_p95")).isEqualTo("9");
        assertThat(hq.get("daily_peak_p99")).isEqualTo("10");
        assertThat(hq.get("hours_at_80pct")).isEqualTo("8");
        assertThat(hq.get("dates_at_80pct").split(" ")).containsExactly("2026-03-31", "2026-04-06", "2026-04-07",
                "2026-04-08", "2026-04-09", "2026-04-10", "2026-04-13");
        assertThat(hq.get("hours_at_capacity")).isEqualTo("2");
        assertThat(hq.get("dates_at_capacity")).isEqualTo("2026-04-07");
        assertThat(hq.get("censored")).isEqualTo("true");
        assertThat(hq.get("trend_ports_per_week")).isEqualTo("2.000");
        assertThat(hq.get("trend_reaches_capacity")).isEqualTo("already");
        assertThat(hq.get("trend_reaches_capacity_week")).isEqualTo("2026-04-06");
        assertThat(hq.get("hourly_peak_percentile")).isEqualTo("8");
        assertThat(hq.get("recommended_ports")).isEqualTo("124"); // over 12 months, see AccountStatisticsTest
        assertThat(hq.get("recommended_change")).isEqualTo("114"); // signed: no plus sign, a minus below capacity
        assertThat(hq.get("recommendation_is_lower_bound")).isEqualTo("false");
        assertThat(hq.get("rule")).isEqualTo(SmallReports.options(HourSelection.ALL).rule().text());
        assertThat(hq.get("missing_days")).isEqualTo("2026-04-02");
        assertThat(hq.get("hours_missing")).isEqualTo("28");
    }

    @Test
    void unknownFiguresAreEmptyCellsNotZeros() throws Exception {
        CSVRecord branch = parse().get(1);
        assertThat(branch.get("capacity")).isEmpty();
        assertThat(branch.get("hours_at_80pct")).isEmpty();
        assertThat(branch.get("censored")).isEmpty();
        assertThat(branch.get("recommended_change")).as("no capacity to subtract").isEmpty();
        assertThat(branch.get("trend_reaches_capacity")).isEqualTo("no_capacity");
        assertThat(branch.get("business_hours")).isEmpty();
        CSVRecord broken = parse().get(2);
        assertThat(broken.get("status")).isEqualTo("failed");
        assertThat(broken.get("peak")).isEmpty();
        assertThat(broken.get("recommended_ports")).isEmpty();
    }

    @Test
    void recommendedChangeIsSignedRecommendedMinusPurchased() throws Exception {
        ReportOptions today = SmallReports.options(HourSelection.ALL, 0);
        CapacityReport report = new CapacityReport(today, SmallReports.MADE, List.of(AccountStatistics.compute("hq",
                SmallDataSet.CAPACITY, SmallDataSet.ZONE, SmallDataSet.days(), today)));
        StringWriter out = new StringWriter();
        ReportFormat.CSV.write(report, out);
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(out.toString()))) {
            CSVRecord hq = parser.getRecords().get(0);
            // today's demand: 9 recommended of the 10 bought
            assertThat(hq.get("recommended_ports")).isEqualTo("9");
            assertThat(hq.get("recommended_change")).isEqualTo("-1");
        }
    }

    @Test
    void anErrorWithQuotesCommasAndALineBreakSurvivesTheRoundTrip() throws Exception {
        assertThat(parse().get(2).get("error")).isEqualTo(SmallReports.ERROR);
    }
}
