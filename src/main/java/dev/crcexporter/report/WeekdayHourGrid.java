package dev.crcexporter.report;

import dev.crcexporter.capacity.Observations.HourPeak;
import java.time.DayOfWeek;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The highest hourly peak per weekday and wall-clock hour over the period; a cell no hour was reported for is
 * empty.
 */
public final class WeekdayHourGrid {
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
