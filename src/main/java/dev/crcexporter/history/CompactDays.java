package dev.crcexporter.history;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Consecutive days of hourly {@code max_usage} kept small for the daemon: one int per hour, -1 where the API
 * reported nothing (a month of 1,000 accounts is about 3 MB this way, ten times less than as records).
 * {@code total_usage} is not kept.
 */
public final class CompactDays {
    private static final int MISSING = -1;

    private final LocalDate first;
    private final int[] hours;

    private CompactDays(LocalDate first, int[] hours) {
        this.first = first;
        this.hours = hours;
    }

    /** The hours of {@code first}..{@code last} found in {@code days}; other dates are ignored. */
    public static CompactDays of(List<DailyUsage> days, LocalDate first, LocalDate last) {
        int count = (int) (last.toEpochDay() - first.toEpochDay() + 1);
        int[] hours = new int[count * 24];
        Arrays.fill(hours, MISSING);
        for (DailyUsage day : days) {
            long index = day.date().toEpochDay() - first.toEpochDay();
            if (index < 0 || index >= count) {
                continue;
            }
            for (HourUsage hour : day.hours()) {
                hours[(int) index * 24 + hour.hour()] = (int) Math.min(Integer.MAX_VALUE, hour.maxUsage());
            }
        }
        return new CompactDays(first, hours);
    }

    /** The days with at least one reported hour, oldest first, each with its reported hours ({@code total_usage} 0). */
    public List<DailyUsage> days() {
        List<DailyUsage> days = new ArrayList<>();
        for (int d = 0; d < hours.length / 24; d++) {
            List<HourUsage> reported = new ArrayList<>();
            for (int h = 0; h < 24; h++) {
                if (hours[d * 24 + h] != MISSING) {
                    reported.add(new HourUsage(h, hours[d * 24 + h], 0));
                }
            }
            if (!reported.isEmpty()) {
                days.add(new DailyUsage(first.plusDays(d), reported));
            }
        }
        return days;
    }
}
