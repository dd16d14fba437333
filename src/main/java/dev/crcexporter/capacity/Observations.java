package dev.crcexporter.capacity;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the API reported for one account over the period, cut to the selected hours: the hourly peaks, the daily
 * peaks and what is missing. Dates and hours are the API's labels in the account's zone; they are never converted
 * to instants, so a DST change moves nothing. An hour that does not exist on its date (the spring-forward gap) is
 * not expected; if the API reports it anyway, its value counts.
 *
 * @param hours      every reported, selected hour, oldest first
 * @param dailyPeaks every selected date of the period, oldest first, with the highest selected hour or missing
 * @param coverage   what was expected and what came
 */
public record Observations(List<HourPeak> hours, List<DailyPeak> dailyPeaks, Coverage coverage) {

    /** One reported hour: {@code ports} is the API's {@code max_usage}. */
    public record HourPeak(LocalDate date, int hour, long ports) {}

    /** A date's highest hourly peak among its selected hours; empty when none was reported. */
    public record DailyPeak(LocalDate date, OptionalLong peak) {}

    /**
     * @param days          selected dates in the period
     * @param missingDays   selected dates for which no selected hour was reported
     * @param hoursExpected selected hours that exist on their dates in the zone
     * @param hoursReported selected hours the API reported
     * @param hoursMissing  expected hours the API did not report (those of missing days included)
     * @param hoursMissingOnDaysWithData the part of {@code hoursMissing} on dates that have some data
     */
    public record Coverage(int days, List<LocalDate> missingDays, int hoursExpected, int hoursReported,
            int hoursMissing, int hoursMissingOnDaysWithData) {
        public Coverage {
            missingDays = List.copyOf(missingDays);
        }

        public int daysWithData() {
            return days - missingDays.size();
        }
    }

    public Observations {
        hours = List.copyOf(hours);
        dailyPeaks = List.copyOf(dailyPeaks);
    }

    /**
     * @param days the days the API reported, in any order; days outside {@code from}..{@code to} are ignored
     */
    public static Observations of(List<DailyUsage> days, LocalDate from, LocalDate to, ZoneId zone,
            HourSelection selection) {
        Map<LocalDate, DailyUsage> byDate = new HashMap<>();
        for (DailyUsage day : days) {
            byDate.putIfAbsent(day.date(), day);
        }
        List<HourPeak> hours = new ArrayList<>();
        List<DailyPeak> dailyPeaks = new ArrayList<>();
        List<LocalDate> missingDays = new ArrayList<>();
        int selectedDays = 0;
        int expected = 0;
        int reported = 0;
        int missing = 0;
        int missingOnDaysWithData = 0;
        for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
            if (!selection.includes(date)) {
                continue;
            }
            selectedDays++;
            boolean[] seen = new boolean[24];
            long peak = -1;
            DailyUsage day = byDate.get(date);
            for (HourUsage hour : day == null ? List.<HourUsage>of() : day.hours()) {
                if (selection.includes(date, hour.hour()) && !seen[hour.hour()]) {
                    seen[hour.hour()] = true;
                    hours.add(new HourPeak(date, hour.hour(), hour.maxUsage()));
                    peak = Math.max(peak, hour.maxUsage());
                    reported++;
                }
            }
            for (int h = selection.firstHour(); h < selection.endHour(); h++) {
                if (exists(date, h, zone)) {
                    expected++;
                    if (!seen[h]) {
                        missing++;
                        missingOnDaysWithData += peak < 0 ? 0 : 1;
                    }
                }
            }
            dailyPeaks.add(new DailyPeak(date, peak < 0 ? OptionalLong.empty() : OptionalLong.of(peak)));
            if (peak < 0) {
                missingDays.add(date);
            }
        }
        return new Observations(hours, dailyPeaks, new Coverage(selectedDays, missingDays, expected, reported, missing,
                missingOnDaysWithData));
    }

    /** Whether the wall-clock hour {@code hour}:00 happens on {@code date} in {@code zone} (not in a DST gap). */
    static boolean exists(LocalDate date, int hour, ZoneId zone) {
        return !zone.getRules().getValidOffsets(date.atTime(hour, 0)).isEmpty();
    }

    /** The daily peaks that were reported, oldest first. */
    public long[] reportedDailyPeaks() {
        return dailyPeaks.stream().map(DailyPeak::peak).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).toArray();
    }
}
