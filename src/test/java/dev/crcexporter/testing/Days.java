package dev.crcexporter.testing;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Days of usage for fake upstreams. */
public final class Days {
    private Days() {}

    /**
     * 24 hours, 00..23, peaking at {@code peak} at 10:00 and falling by 3 an hour either side; total is max * 2 + 1.
     */
    public static DailyUsage peakingAtTen(String date, int peak) {
        List<HourUsage> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            long max = h == 10 ? peak : Math.max(0, peak - Math.abs(h - 10) * 3);
            hours.add(new HourUsage(h, max, max * 2 + 1));
        }
        return new DailyUsage(LocalDate.parse(date), hours);
    }

    /** The same day with its hours in an order of {@code seed}, so that order cannot matter. */
    public static DailyUsage shuffled(DailyUsage day, long seed) {
        List<HourUsage> hours = new ArrayList<>(day.hours());
        Collections.reverse(hours);
        Collections.shuffle(hours, new Random(seed));
        return new DailyUsage(day.date(), hours);
    }
}
