package dev.crcexporter.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.crcexporter.capacity.Observations.DailyPeak;
import dev.crcexporter.capacity.WeeklyTrend.Crossing;
import dev.crcexporter.capacity.WeeklyTrend.Reach;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Where the least-squares line of weekly peaks meets the capacity. Weeks start on Monday 2026-01-05. */
class WeeklyTrendTest {
    private static final LocalDate MONDAY = LocalDate.of(2026, 1, 5);

    /** One daily peak per week (on its Wednesday), the rest of the week missing; {@code null} = a week without data. */
    private static WeeklyTrend weeks(int capacity, Integer... peaks) {
        List<DailyPeak> days = new ArrayList<>();
        for (int w = 0; w < peaks.length; w++) {
            for (int d = 0; d < 7; d++) {
                LocalDate date = MONDAY.plusWeeks(w).plusDays(d);
                days.add(new DailyPeak(date,
                        d == 2 && peaks[w] != null ? OptionalLong.of(peaks[w]) : OptionalLong.empty()));
            }
        }
        return WeeklyTrend.of(days, MONDAY, MONDAY.plusWeeks(peaks.length).minusDays(1),
                capacity > 0 ? OptionalInt.of(capacity) : OptionalInt.empty());
    }

    @Test
    void risingLineReachesCapacityWithinAYear() {
        // 10, 11, 12, 13: 10 + x; capacity 30 from x = 20, the week of 2026-01-05 + 20 weeks = 2026-05-25
        WeeklyTrend trend = weeks(30, 10, 11, 12, 13);
        assertThat(trend.slope().getAsDouble()).isEqualTo(1.0);
        assertThat(trend.crossing())
                .isEqualTo(new Crossing(Reach.WITHIN_A_YEAR, Optional.of(LocalDate.of(2026, 5, 25))));
    }

    @Test
    void theCrossingWeekIsTheFirstAtOrAboveCapacity() {
        // 10, 12, 13: slope 3/2, intercept 61/6; 14 is reached at x = 2.56, so week 3 (2026-01-26) is the first week
        // at or above it, and week 2 (13.17) is still below
        WeeklyTrend trend = weeks(14, 10, 12, 13);
        assertThat(trend.slope().getAsDouble()).isEqualTo(1.5);
        assertThat(trend.crossing())
                .isEqualTo(new Crossing(Reach.WITHIN_A_YEAR, Optional.of(LocalDate.of(2026, 1, 26))));
    }

    @Test
    void slowGrowthIsNotWithinAYear() {
        // 10 + x reaches 100 at week 90: more than 52 weeks after the last week (3)
        assertThat(weeks(100, 10, 11, 12, 13).crossing())
                .isEqualTo(new Crossing(Reach.NOT_WITHIN_A_YEAR, Optional.empty()));
        // the last week within the horizon: week 3 + 52 = 55, 10 + 55 = 65
        assertThat(weeks(65, 10, 11, 12, 13).crossing().reach()).isEqualTo(Reach.WITHIN_A_YEAR);
        assertThat(weeks(66, 10, 11, 12, 13).crossing().reach()).isEqualTo(Reach.NOT_WITHIN_A_YEAR);
    }

    @Test
    void flatOrFallingBelowCapacityNeverReachesIt() {
        assertThat(weeks(20, 12, 12, 12).crossing().reach()).isEqualTo(Reach.NOT_WITHIN_A_YEAR);
        assertThat(weeks(20, 15, 13, 11).crossing().reach()).isEqualTo(Reach.NOT_WITHIN_A_YEAR);
    }

    @Test
    void flatAtCapacityIsAlreadyThereFromTheFirstWeek() {
        assertThat(weeks(12, 12, 12, 12).crossing()).isEqualTo(new Crossing(Reach.ALREADY, Optional.of(MONDAY)));
    }

    @Test
    void aDayAtCapacityIsAlreadyThereWhateverTheLineSays() {
        // 10, 20, 12, 13: the line (slope 0.1) stays below 20 for more than a year, but week 1 reached it:
        // censored demand makes the line of weekly peaks too low, the day at capacity is a fact
        WeeklyTrend trend = weeks(20, 10, 20, 12, 13);
        assertThat(trend.crossing()).isEqualTo(new Crossing(Reach.ALREADY, Optional.of(MONDAY.plusWeeks(1))));
        assertThat(trend.crossing().text()).isEqualTo("already, since the week of 2026-01-12");
        // one week of data is too few for a line, but not for a day at capacity
        assertThat(weeks(20, 20).crossing()).isEqualTo(new Crossing(Reach.ALREADY, Optional.of(MONDAY)));
    }

    @Test
    void weeksWithoutDataAreLeftOutNotCountedAsZero() {
        // 10, -, 12, 13: the fit over (0,10), (2,12), (3,13) is exactly 10 + x; a zero in week 1 would bend it
        WeeklyTrend trend = weeks(30, 10, null, 12, 13);
        assertThat(trend.weeksFitted()).isEqualTo(3);
        assertThat(trend.slope().getAsDouble()).isCloseTo(1.0, within(1e-12));
        assertThat(trend.weeks().get(1).peak()).isEmpty();
    }

    @Test
    void oneWeekIsTooFew() {
        assertThat(weeks(30, 10).crossing().reach()).isEqualTo(Reach.TOO_FEW_WEEKS);
        assertThat(weeks(30, 10, null).slope()).isEmpty();
    }

    @Test
    void withoutCapacityTheSlopeStillShows() {
        WeeklyTrend trend = weeks(0, 10, 12);
        assertThat(trend.slope().getAsDouble()).isEqualTo(2.0);
        assertThat(trend.crossing().reach()).isEqualTo(Reach.NO_CAPACITY);
    }
}
