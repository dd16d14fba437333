package dev.crcexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.capacity.HourSelection;
import dev.crcexporter.capacity.Observations.HourPeak;
import dev.crcexporter.capacity.Recommendation;
import dev.crcexporter.capacity.WeeklyTrend;
import dev.crcexporter.capacity.WeeklyTrend.Reach;
import dev.crcexporter.report.AccountReport.HoursAtLevel;
import dev.crcexporter.report.AccountReport.WeekdayHourGrid;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The figures of {@link SmallDataSet} against ones worked out by hand (the working is in the comments).
 * 24 dates, 23 reported; 547 hours reported: 23 days * 24, less 02:00 of the DST night, less 4 hours of 03-25.
 */
class AccountStatisticsTest {
    private static LocalDate d(String date) {
        return LocalDate.parse(date);
    }

    /** Today's demand only (--horizon=0), unless a test says otherwise. */
    private static ReportOptions options(HourSelection selection) {
        return SmallReports.options(selection, 0);
    }

    private static AccountReport allHours() {
        return AccountStatistics.compute("hq", SmallDataSet.CAPACITY, SmallDataSet.ZONE, SmallDataSet.days(),
                options(HourSelection.ALL));
    }

    @Test
    void coverageCountsTheDstNightAsTwentyThreeHoursAndShowsWhatIsMissing() {
        AccountReport report = allHours();
        // 24 dates * 24 hours = 576, less the 02:00 that does not exist on 2026-03-29 = 575 expected
        assertThat(report.coverage().days()).isEqualTo(24);
        assertThat(report.coverage().missingDays()).containsExactly(d("2026-04-02"));
        assertThat(report.coverage().hoursExpected()).isEqualTo(575);
        assertThat(report.coverage().hoursReported()).isEqualTo(547);
        assertThat(report.coverage().hoursMissing()).isEqualTo(28); // the 24 of 04-02 and 20:00..23:00 of 03-25
        // the missing day is missing, not a zero
        assertThat(report.dailyPeaks()).hasSize(24);
        assertThat(report.dailyPeaks().stream().filter(p -> p.date().equals(d("2026-04-02")))
                        .findFirst().orElseThrow().peak())
                .isEmpty();
        assertThat(report.dailyPeaks().get(0).peak()).hasValue(2);
    }

    @Test
    void peakAndWhen() {
        AccountReport report = allHours();
        assertThat(report.peak()).contains(new HourPeak(d("2026-04-07"), 10, 10));
        assertThat(report.hoursAtPeak()).isEqualTo(2); // 10:00 and 11:00 of 04-07
    }

    @Test
    void percentilesOfDailyPeaksByNearestRank() {
        // 23 daily peaks sorted: 1 x5, 2 x2, 3, 4 x2, 5 x2, 6, 7 x3, 8 x4, 9 x2, 10
        // p95: rank ceil(0.95 * 23) = 22 -> 9; p99: rank ceil(0.99 * 23) = 23 -> 10
        AccountReport report = allHours();
        assertThat(report.dailyPeakP95()).hasValue(9);
        assertThat(report.dailyPeakP99()).hasValue(10);
        assertThat(report.atCapacity(report.dailyPeakP99().getAsLong())).isTrue();
        assertThat(report.atCapacity(report.dailyPeakP95().getAsLong())).isFalse();
    }

    @Test
    void hoursAtEightyAndHundredPercentWithTheirDays() {
        AccountReport report = allHours();
        // >= 8 of 10: 03-31 (8), 04-06 (8), 04-07 (10 at 10:00 and 11:00), 04-08 (9), 04-09 (8), 04-10 (8), 04-13 (9)
        assertThat(report.nearCapacity()).contains(new HoursAtLevel(8, List.of(d("2026-03-31"), d("2026-04-06"),
                d("2026-04-07"), d("2026-04-08"), d("2026-04-09"), d("2026-04-10"), d("2026-04-13"))));
        assertThat(report.atCapacity()).contains(new HoursAtLevel(2, List.of(d("2026-04-07"))));
        assertThat(report.censored()).isTrue();
    }

    @Test
    void weeklyPeaksOfCompleteWeeksMakeTheTrendAndItHasAlreadyReachedCapacity() {
        WeeklyTrend trend = allHours().trend();
        // weeks from Monday 03-16: 03-16 (partial: 21, 22), 03-23, 03-30 (04-02 missing), 04-06, 04-13 (partial: 13)
        assertThat(trend.weeks()).extracting(WeeklyTrend.WeeklyPeak::weekStart)
                .containsExactly(d("2026-03-16"), d("2026-03-23"), d("2026-03-30"), d("2026-04-06"), d("2026-04-13"));
        assertThat(trend.weeks()).extracting(WeeklyTrend.WeeklyPeak::peak).containsExactly(OptionalLong.of(2),
                OptionalLong.of(6), OptionalLong.of(8), OptionalLong.of(10), OptionalLong.of(9));
        assertThat(trend.weeks()).extracting(WeeklyTrend.WeeklyPeak::complete)
                .containsExactly(false, true, true, true, false);
        // fitted: (1, 6), (2, 8), (3, 10) -> 4 + 2x; at week 4 it is 12 >= 10; 4 + 2x >= 10 from x = 3 (04-06)
        assertThat(trend.weeksFitted()).isEqualTo(3);
        assertThat(trend.slope().getAsDouble()).isEqualTo(2.0);
        assertThat(trend.intercept().getAsDouble()).isEqualTo(4.0);
        assertThat(trend.weeks().get(4).trend()).isEqualTo(OptionalDouble.of(12.0));
        assertThat(trend.crossing()).isEqualTo(new WeeklyTrend.Crossing(Reach.ALREADY, Optional.of(d("2026-04-06"))));
    }

    @Test
    void recommendationOverAllHours() {
        // 547 hourly peaks: 528 are 1, then 2,2,3,4,4,5,5,6,7,7,7,8,8,8,8,9,9,10,10.
        // p99: rank ceil(0.99 * 547) = 542 = 528 + 14 -> the 14th of those 19: 8. 8 + 10 % = 8.8 -> 9.
        Recommendation recommendation = allHours().recommendation().orElseThrow();
        assertThat(recommendation.basis()).isEqualTo(8);
        assertThat(recommendation.hours()).isEqualTo(547);
        assertThat(recommendation.ports()).isEqualTo(9);
        assertThat(recommendation.lowerBound()).isFalse();
        assertThat(recommendation.arithmetic())
                .isEqualTo("99th percentile of 547 hourly peaks = 8, + 10 % = 8.8, rounded up to 9");
        assertThat(recommendation.rule().text())
                .isEqualTo("the ports that covered every hour but the busiest 1 % of hours, plus 10 % headroom,"
                        + " rounded up");
        assertThat(allHours().recommendedChange()).hasValue(-1);
        assertThat(allHours().isShort()).isFalse();
    }

    @Test
    void aHorizonOfTwelveMonthsFollowsTheGrowthOfTheWeeklyPeaks() {
        // The same p99 of 8; the weekly peaks grow by 2.00 ports a week (see above): over 12 months (52 weeks) that is
        // 104 more, 112; + 10 % = 123.2 -> 124, 114 more than the 10 bought. A month (4 weeks): 8 + 8 = 16
        // -> 17.6 -> 18.
        AccountReport year = AccountStatistics.compute("hq", SmallDataSet.CAPACITY, SmallDataSet.ZONE,
                SmallDataSet.days(), SmallReports.options(HourSelection.ALL, 12));
        Recommendation recommendation = year.recommendation().orElseThrow();
        assertThat(recommendation.ports()).isEqualTo(124);
        assertThat(recommendation.arithmetic())
                .isEqualTo("99th percentile of 547 hourly peaks = 8, +2.00 ports/week x 52"
                        + " weeks (12 months) = 112, + 10 % = 123.2, rounded up to 124");
        assertThat(year.recommendedChange()).hasValue(114);
        assertThat(year.isShort()).isTrue();
        assertThat(AccountStatistics.compute("hq", SmallDataSet.CAPACITY, SmallDataSet.ZONE, SmallDataSet.days(),
                SmallReports.options(HourSelection.ALL, 1)).recommendation().orElseThrow().ports()).isEqualTo(18);
    }

    @Test
    void businessHoursOnWeekdaysOnly() {
        HourSelection selection = HourSelection.withDays(HourSelection.withHours(HourSelection.ALL, "08-18"),
                "Mon-Fri");
        AccountReport report = AccountStatistics.compute("hq", SmallDataSet.CAPACITY, SmallDataSet.ZONE,
                SmallDataSet.days(), options(selection));
        // 16 weekdays (04-02 missing), 10 hours each (08..17): 160 expected, 150 reported; 03-25's gap is after 18:00
        assertThat(report.coverage().days()).isEqualTo(16);
        assertThat(report.coverage().hoursExpected()).isEqualTo(160);
        assertThat(report.coverage().hoursReported()).isEqualTo(150);
        assertThat(report.coverage().missingDays()).containsExactly(d("2026-04-02"));
        // 150 hours: 134 are 1, then 4,4,5,5,6,7,7,7,8,8,8,8,9,9,10,10. p99: rank ceil(148.5) = 149 = 134 + 15 -> 10,
        // the capacity: a lower bound. 10 + 10 % = 11.
        Recommendation recommendation = report.recommendation().orElseThrow();
        assertThat(recommendation.basis()).isEqualTo(10);
        assertThat(recommendation.ports()).isEqualTo(11);
        assertThat(recommendation.lowerBound()).isTrue();
        assertThat(recommendation.portsText()).isEqualTo("at least 11");
        assertThat(recommendation.rule().text())
                .isEqualTo("the ports that covered every hour but the busiest 1 % of selected hours"
                        + " (Mon,Tue,Wed,Thu,Fri 08:00-18:00), plus 10 % headroom, rounded up");
        // 15 weekday peaks sorted 4,4,5,5,6,7,7,7,8,8,8,8,9,9,10: p95 rank ceil(14.25) = 15 -> 10
        assertThat(report.dailyPeakP95()).hasValue(10);
        // the Saturday-and-Sunday week has no selected day: missing, not 0
        assertThat(report.trend().weeks().get(0).peak()).isEmpty();
        assertThat(report.trend().slope().getAsDouble()).isEqualTo(2.0);
        assertThat(report.grid().peak(DayOfWeek.SATURDAY, 10)).isEmpty();
        assertThat(report.grid().peak(DayOfWeek.MONDAY, 7)).isEmpty();
    }

    @Test
    void weekdayHourGridHoldsTheHighestPeakOfEachCell() {
        WeekdayHourGrid grid = allHours().grid();
        assertThat(grid.peak(DayOfWeek.TUESDAY, 10)).hasValue(10); // 03-24: 5, 03-31: 8, 04-07: 10
        assertThat(grid.peak(DayOfWeek.TUESDAY, 11)).hasValue(10);
        assertThat(grid.peak(DayOfWeek.SATURDAY, 10)).hasValue(2); // 03-21: 2, then 1s
        assertThat(grid.peak(DayOfWeek.THURSDAY, 10)).hasValue(8); // 03-26: 5, 04-02 missing, 04-09: 8
        assertThat(grid.highest()).isEqualTo(10);
    }

    @Test
    void censoringOnlyWhenAnHourReachesCapacity() {
        AccountReport below = AccountStatistics.compute("hq", OptionalInt.of(11), SmallDataSet.ZONE,
                SmallDataSet.days(), options(HourSelection.ALL));
        assertThat(below.censored()).isFalse();
        assertThat(below.atCapacity()).contains(new HoursAtLevel(0, List.of()));
        assertThat(below.recommendation().orElseThrow().lowerBound()).isFalse();

        AccountReport without = AccountStatistics.compute("hq", OptionalInt.empty(), SmallDataSet.ZONE,
                SmallDataSet.days(), options(HourSelection.ALL));
        assertThat(without.censored()).isFalse();
        assertThat(without.nearCapacity()).isEmpty();
        assertThat(without.trend().crossing().reach()).isEqualTo(Reach.NO_CAPACITY);

        assertThat(allHours().censored()).isTrue();
    }

    @Test
    void datesAreTheApiLabelsInTheAccountZoneWhateverTheZone() {
        // The same labels read in another zone give the same figures: nothing is converted through instants.
        // Only the DST night differs: Tokyo has no gap, so 02:00 of 03-29 is expected (and missing).
        AccountReport tokyo = AccountStatistics.compute("hq", SmallDataSet.CAPACITY, ZoneId.of("Asia/Tokyo"),
                SmallDataSet.days(), options(HourSelection.ALL));
        assertThat(tokyo.peak()).isEqualTo(allHours().peak());
        assertThat(tokyo.dailyPeaks()).isEqualTo(allHours().dailyPeaks());
        assertThat(tokyo.coverage().hoursExpected()).isEqualTo(576);
        assertThat(tokyo.coverage().hoursMissing()).isEqualTo(29);
    }

    @Test
    void anAccountWithNoDataHasMissingFiguresNotZeros() {
        AccountReport empty = AccountStatistics.compute("hq", SmallDataSet.CAPACITY, SmallDataSet.ZONE, List.of(),
                options(HourSelection.ALL));
        assertThat(empty.peak()).isEmpty();
        assertThat(empty.dailyPeakP95()).isEmpty();
        assertThat(empty.recommendation()).isEmpty();
        assertThat(empty.coverage().missingDays()).hasSize(24);
        assertThat(empty.trend().crossing().reach()).isEqualTo(Reach.TOO_FEW_WEEKS);
        assertThat(empty.censored()).isFalse();
    }

    @Test
    void daysOutsideThePeriodAndRepeatedDaysAreIgnored() {
        List<DailyUsage> days = new ArrayList<>(SmallDataSet.days());
        days.add(new DailyUsage(d("2026-03-20"), List.of(new HourUsage(10, 99, 99))));
        days.add(new DailyUsage(d("2026-04-14"), List.of(new HourUsage(10, 99, 99))));
        // a second 03-21: the first counts
        days.add(new DailyUsage(d("2026-03-21"), List.of(new HourUsage(10, 98, 98))));
        AccountReport report = AccountStatistics.compute("hq", SmallDataSet.CAPACITY, SmallDataSet.ZONE, days,
                options(HourSelection.ALL));
        assertThat(report.peak()).isEqualTo(allHours().peak());
        assertThat(report.coverage()).isEqualTo(allHours().coverage());
    }
}
