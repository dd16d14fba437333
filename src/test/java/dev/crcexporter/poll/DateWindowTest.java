package dev.crcexporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DateWindowTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static DailyUsage fullDay(String date) {
        List<HourUsage> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(new HourUsage(h, h, 2L * h));
        }
        return new DailyUsage(LocalDate.parse(date), hours);
    }

    @Test
    void datesAndHourAreThoseOfTheConfiguredZone() {
        // 16:30 UTC on the 25th is 00:30 on the 26th in Shanghai (UTC+8).
        DateWindow window = DateWindow.at(Instant.parse("2026-11-25T16:30:00Z"), SHANGHAI);

        assertThat(window.today()).isEqualTo(LocalDate.of(2026, 11, 26));
        assertThat(window.yesterday()).isEqualTo(LocalDate.of(2026, 11, 25));
        assertThat(window.currentHour()).isZero();
    }

    @Test
    void keepsOnlyYesterdayAndTodayOldestFirst() {
        DateWindow window = DateWindow.at(Instant.parse("2026-11-26T04:00:00Z"), SHANGHAI); // 12:00 local

        List<DailyUsage> kept = window.select(List.of(fullDay("2026-11-27"), fullDay("2026-11-26"),
                fullDay("2026-11-24"), fullDay("2026-11-25")));

        assertThat(kept).extracting(DailyUsage::date)
                .containsExactly(LocalDate.of(2026, 11, 25), LocalDate.of(2026, 11, 26));
    }

    @Test
    void hoursOfTodayThatHaveNotBegunAreDropped() {
        DateWindow window = DateWindow.at(Instant.parse("2026-11-26T01:59:59Z"), SHANGHAI); // 09:59:59 local

        List<DailyUsage> kept = window.select(List.of(fullDay("2026-11-25"), fullDay("2026-11-26")));

        assertThat(kept.get(0).hours()).hasSize(24);
        assertThat(kept.get(1).hours()).extracting(HourUsage::hour).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void atMidnightTodayBecomesYesterdayAndTheOldYesterdayIsDropped() {
        List<DailyUsage> polledBeforeMidnight = DateWindow.at(Instant.parse("2026-11-26T15:59:00Z"), SHANGHAI)
                .select(List.of(fullDay("2026-11-25"), fullDay("2026-11-26")));

        DateWindow afterMidnight = DateWindow.at(Instant.parse("2026-11-26T16:00:01Z"), SHANGHAI);
        List<DailyUsage> kept = afterMidnight.select(polledBeforeMidnight);

        assertThat(kept).extracting(DailyUsage::date).containsExactly(LocalDate.of(2026, 11, 26));
        assertThat(kept.get(0).hours()).hasSize(24);
    }

    @Test
    void springForwardDayHasNoHourTwoButTheClockHourStillCounts() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 2026-03-08: clocks jump from 02:00 to 03:00. 07:30 UTC is 03:30 EDT.
        DateWindow window = DateWindow.at(Instant.parse("2026-03-08T07:30:00Z"), newYork);

        assertThat(window.today()).isEqualTo(LocalDate.of(2026, 3, 8));
        assertThat(window.currentHour()).isEqualTo(3);
        List<HourUsage> hoursWithoutTwo = new ArrayList<>(fullDay("2026-03-08").hours());
        hoursWithoutTwo.removeIf(h -> h.hour() == 2);
        List<DailyUsage> kept = window.select(List.of(new DailyUsage(LocalDate.of(2026, 3, 8), hoursWithoutTwo)));
        assertThat(kept.get(0).hours()).extracting(HourUsage::hour).containsExactly(0, 1, 3);
    }

    @Test
    void fallBackDayRepeatsHourOneAndStaysOnTheSameDate() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 2026-11-01: 01:00-02:00 happens twice. 05:30 UTC is the first 01:30 (EDT), 06:30 UTC the second (EST).
        DateWindow first = DateWindow.at(Instant.parse("2026-11-01T05:30:00Z"), newYork);
        DateWindow second = DateWindow.at(Instant.parse("2026-11-01T06:30:00Z"), newYork);

        assertThat(first.currentHour()).isEqualTo(1);
        assertThat(second.currentHour()).isEqualTo(1);
        assertThat(second.today()).isEqualTo(first.today()).isEqualTo(LocalDate.of(2026, 11, 1));
    }

    @Test
    void answerWithoutTodayKeepsYesterdayOnly() {
        DateWindow window = DateWindow.at(Instant.parse("2026-11-26T04:00:00Z"), SHANGHAI);

        assertThat(window.select(List.of(fullDay("2026-11-25")))).extracting(DailyUsage::date)
                .containsExactly(LocalDate.of(2026, 11, 25));
    }

    private static DailyUsage day(String date, HourUsage... hours) {
        return new DailyUsage(LocalDate.parse(date), List.of(hours));
    }

    @Test
    void recentIsTheHigherOfTheCurrentAndThePreviousHour() {
        DateWindow window = DateWindow.at(Instant.parse("2026-11-26T02:30:00Z"), SHANGHAI); // 10:30 local

        assertThat(window.recentMaxUsage(window.select(List.of(day("2026-11-26",
                new HourUsage(8, 39, 0), new HourUsage(9, 12, 0), new HourUsage(10, 40, 0)))))).hasValue(40);
        assertThat(window.recentMaxUsage(window.select(List.of(day("2026-11-26",
                new HourUsage(8, 39, 0), new HourUsage(9, 38, 0), new HourUsage(10, 5, 0)))))).hasValue(38);
    }

    @Test
    void afterTheHourBoundaryRecentKeepsThePreviousHourUntilTheApiReportsTheNewOne() {
        // 11:05 local, a peak of 40 at 10:56; the API has not reported hour 11 yet.
        DateWindow window = DateWindow.at(Instant.parse("2026-11-26T03:05:00Z"), SHANGHAI);
        List<DailyUsage> days = window.select(List.of(day("2026-11-26", new HourUsage(9, 20, 0),
                new HourUsage(10, 40, 0))));

        assertThat(window.currentMaxUsage(days)).isEmpty();
        assertThat(window.recentMaxUsage(days)).hasValue(40);
    }

    @Test
    void afterMidnightThePreviousHourIsYesterdays23() {
        DateWindow window = DateWindow.at(Instant.parse("2026-11-26T16:05:00Z"), SHANGHAI); // 00:05 on the 27th
        List<DailyUsage> days = window.select(List.of(day("2026-11-26", new HourUsage(22, 10, 0),
                new HourUsage(23, 40, 0))));

        assertThat(window.previousHourDate()).isEqualTo(LocalDate.of(2026, 11, 26));
        assertThat(window.previousHour()).isEqualTo(23);
        assertThat(window.currentMaxUsage(days)).isEmpty();
        assertThat(window.recentMaxUsage(days)).hasValue(40);
    }

    @Test
    void recentIsAbsentWhileNeitherHourIsReported() {
        DateWindow window = DateWindow.at(Instant.parse("2026-11-26T02:30:00Z"), SHANGHAI); // 10:30 local

        assertThat(window.recentMaxUsage(window.select(List.of(day("2026-11-26", new HourUsage(8, 40, 0)))))).isEmpty();
        assertThat(window.recentMaxUsage(List.of())).isEmpty();
    }

    @Test
    void afterSpringForwardTheHourBeforeThreeIsOne() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 2026-03-08 03:10 EDT (07:10 UTC): the hour before began at 01:10 EST; there is no hour 02.
        DateWindow window = DateWindow.at(Instant.parse("2026-03-08T07:10:00Z"), newYork);
        List<DailyUsage> days = window.select(List.of(day("2026-03-08", new HourUsage(0, 5, 0),
                new HourUsage(1, 30, 0))));

        assertThat(window.previousHour()).isEqualTo(1);
        assertThat(window.recentMaxUsage(days)).hasValue(30);
    }
}
