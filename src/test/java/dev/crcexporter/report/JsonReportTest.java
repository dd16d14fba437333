package dev.crcexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON parsed back: the CSV's names per account, the series, nulls where data is missing. */
class JsonReportTest {
    private static JsonNode parse() throws Exception {
        StringWriter out = new StringWriter();
        ReportFormat.JSON.write(SmallReports.threeAccounts(), out);
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void reportOptionsAtTheTop() throws Exception {
        JsonNode root = parse();
        assertThat(root.get("from").asText()).isEqualTo("2026-03-21");
        assertThat(root.get("to").asText()).isEqualTo("2026-04-13");
        assertThat(root.get("generated_at").asText()).isEqualTo("2026-04-14T06:00:00Z");
        assertThat(root.get("percentile").isIntegralNumber()).isTrue();
        assertThat(root.get("percentile").asInt()).isEqualTo(99);
        assertThat(root.get("headroom_percent").asInt()).isEqualTo(10);
        assertThat(root.get("horizon_months").isIntegralNumber()).isTrue();
        assertThat(root.get("horizon_months").asInt()).isEqualTo(12);
        assertThat(root.get("business_hours").isNull()).isTrue();
    }

    @Test
    void eachAccountHasTheCsvNamesAndTheSeries() throws Exception {
        JsonNode accounts = parse().get("accounts");
        assertThat(accounts).hasSize(3);
        List<String> keys = new ArrayList<>();
        accounts.get(0).fieldNames().forEachRemaining(keys::add);
        List<String> expected = new ArrayList<>(ReportColumns.NAMES);
        expected.addAll(List.of("daily_peaks", "weekly_peaks", "weekday_hour_peaks"));
        assertThat(keys).isEqualTo(expected);

        JsonNode hq = accounts.get(0);
        assertThat(hq.get("peak").asLong()).isEqualTo(10);
        assertThat(hq.get("daily_peak_p95").asLong()).isEqualTo(9);
        assertThat(hq.get("censored").asBoolean()).isTrue();
        assertThat(hq.get("trend_ports_per_week").decimalValue()).isEqualByComparingTo("2");
        // 8 + 2.00 x 52 weeks = 112, + 10 % -> 124 (AccountStatisticsTest), 114 more than the 10 bought
        assertThat(hq.get("recommended_ports").asLong()).isEqualTo(124);
        assertThat(hq.get("recommended_change").isIntegralNumber()).isTrue();
        assertThat(hq.get("recommended_change").asLong()).isEqualTo(114);
        assertThat(hq.get("dates_at_capacity")).hasSize(1);
        assertThat(hq.get("dates_at_capacity").get(0).asText()).isEqualTo("2026-04-07");
        assertThat(hq.get("weekly_peaks")).hasSize(5);
        assertThat(hq.get("weekly_peaks").get(3).get("peak").asLong()).isEqualTo(10);
        assertThat(hq.get("weekly_peaks").get(0).get("complete").asBoolean()).isFalse();
        assertThat(hq.get("weekly_peaks").get(1).get("trend").decimalValue()).isEqualByComparingTo("6");
        assertThat(hq.get("weekday_hour_peaks").get("Tue").get(10).asLong()).isEqualTo(10);
        assertThat(hq.get("weekday_hour_peaks").get("Mon")).hasSize(24);
    }

    @Test
    void missingDaysAndUnknownFiguresAreNullNotZero() throws Exception {
        JsonNode accounts = parse().get("accounts");
        JsonNode missingDay = null;
        for (JsonNode day : accounts.get(0).get("daily_peaks")) {
            if (day.get("date").asText().equals("2026-04-02")) {
                missingDay = day;
            }
        }
        assertThat(missingDay).isNotNull();
        assertThat(missingDay.get("peak").isNull()).isTrue();
        assertThat(accounts.get(1).get("capacity").isNull()).isTrue();
        assertThat(accounts.get(1).get("hours_at_capacity").isNull()).isTrue();
        assertThat(accounts.get(1).get("recommended_change").isNull()).as("no capacity to subtract").isTrue();
        JsonNode broken = accounts.get(2);
        assertThat(broken.get("status").asText()).isEqualTo("failed");
        assertThat(broken.get("error").asText()).isEqualTo(SmallReports.ERROR);
        assertThat(broken.get("peak").isNull()).isTrue();
        assertThat(broken.has("daily_peaks")).isFalse();
    }

    @Test
    void gridCellsWithoutAReportedHourAreNull() throws Exception {
        ReportOptions options = SmallReports.options(HourSelection.ALL);
        List<DailyUsage> oneDay = List.of(new DailyUsage(
                LocalDate.of(2026, 3, 24), List.of(new HourUsage(9, 0, 0),
                        new HourUsage(10, 3, 5))));
        CapacityReport report = new CapacityReport(options, SmallReports.MADE, List.of(AccountStatistics.compute("hq",
                SmallDataSet.CAPACITY, SmallDataSet.ZONE, oneDay, options)));
        StringWriter out = new StringWriter();
        ReportFormat.JSON.write(report, out);
        JsonNode tuesday = new ObjectMapper().readTree(out.toString()).get("accounts").get(0).get("weekday_hour_peaks")
                .get("Tue");
        assertThat(tuesday.get(9).isNull()).as("a reported 0 stays 0").isFalse();
        assertThat(tuesday.get(9).asLong()).isZero();
        assertThat(tuesday.get(10).asLong()).isEqualTo(3);
        assertThat(tuesday.get(8).isNull()).isTrue();
        assertThat(tuesday.get(11).isNull()).isTrue();
    }
}
