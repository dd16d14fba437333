package dev.crcexporter.report;

import dev.crcexporter.capacity.Observations.Coverage;
import dev.crcexporter.capacity.Observations.DailyPeak;
import dev.crcexporter.capacity.Observations.HourPeak;
import dev.crcexporter.capacity.Recommendation;
import dev.crcexporter.capacity.WeeklyTrend;
import dev.crcexporter.report.CapacityReport.AccountResult;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The figures of one account over the period, over the selected hours only. Built by {@link AccountStatistics}.
 *
 * @param peak          the highest hourly peak, at its first occurrence
 * @param hoursAtPeak   how many hours reached that peak
 * @param nearCapacity  hours at 80 % of capacity or more; empty without a capacity or without any reported hour
 * @param atCapacity    hours at capacity (or above); empty without a capacity or without any reported hour
 */
public record AccountReport(String account, ZoneId zone, OptionalInt capacity, Coverage coverage,
        List<DailyPeak> dailyPeaks, Optional<HourPeak> peak, int hoursAtPeak, OptionalLong dailyPeakP95,
        OptionalLong dailyPeakP99, Optional<HoursAtLevel> nearCapacity, Optional<HoursAtLevel> atCapacity,
        WeeklyTrend trend, Optional<Recommendation> recommendation, WeekdayHourGrid grid) implements AccountResult {

    /** Hours at a level of the capacity and the dates they fell on (sorted, each once). */
    public record HoursAtLevel(int hours, List<LocalDate> dates) {
        public HoursAtLevel {
            dates = List.copyOf(dates);
        }
    }

    public AccountReport {
        dailyPeaks = List.copyOf(dailyPeaks);
    }

    /**
     * Demand reached the capacity in at least one hour: the API then reports the capacity (or so), and what callers
     * wanted beyond it is unknown. Figures at the capacity are lower bounds of demand.
     */
    public boolean censored() {
        return atCapacity.map(level -> level.hours() > 0).orElse(false);
    }

    /** Recommended minus purchased; empty without a capacity or without a recommendation. */
    public OptionalLong recommendedChange() {
        return recommendation.map(r -> r.change(capacity)).orElse(OptionalLong.empty());
    }

    /** The recommendation is above the purchased ports. */
    public boolean isShort() {
        return recommendedChange().orElse(0) > 0;
    }

    /** Ports as demand: "38", or ">=40" at the capacity, where demand was at least that. */
    public String demandText(long ports) {
        return (atCapacity(ports) ? ">=" : "") + ports;
    }

    /** Whether {@code ports} is at the capacity (or above): as demand, only a lower bound. */
    public boolean atCapacity(long ports) {
        return capacity.isPresent() && ports >= capacity.getAsInt();
    }

    /**
     * The highest hourly peak per weekday and wall-clock hour over the period; a cell no hour was reported for is
     * empty.
     */
    public static final class WeekdayHourGrid {
        private final long[] cells = new long[7 * 24];

        private WeekdayHourGrid() {
            Arrays.fill(cells, -1);
        }

        public static WeekdayHourGrid of(List<HourPeak> hours) {
            WeekdayHourGrid grid = new WeekdayHourGrid();
            for (HourPeak hour : hours) {
                int cell = index(hour.date().getDayOfWeek(), hour.hour());
                grid.cells[cell] = Math.max(grid.cells[cell], hour.ports());
            }
            return grid;
        }

        public OptionalLong peak(DayOfWeek day, int hour) {
            long value = cells[index(day, hour)];
            return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
        }

        /** The highest cell, 0 when all are empty. */
        public long highest() {
            return Math.max(0, Arrays.stream(cells).max().orElse(0));
        }

        private static int index(DayOfWeek day, int hour) {
            return (day.getValue() - 1) * 24 + hour;
        }
    }
}
