package dev.crcexporter.report;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A small fixed data set whose figures are worked out by hand in {@link AccountStatisticsTest}: Europe/Berlin,
 * Saturday 2026-03-21 to Monday 2026-04-13, across the spring-forward night (2026-03-29 has no 02:00) and the month
 * boundary, capacity 10. Every reported hour is 1 except 10:00, which carries the day's peak, and 2026-04-07 11:00,
 * which is at capacity too. 2026-04-02 is not reported at all; 2026-03-25 lacks 20:00 to 23:00.
 */
public final class SmallDataSet {
    public static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    public static final LocalDate FROM = LocalDate.of(2026, 3, 21);
    public static final LocalDate TO = LocalDate.of(2026, 4, 13);
    public static final OptionalInt CAPACITY = OptionalInt.of(10);

    /** The peak at 10:00 of each reported day. */
    static final Map<String, Integer> PEAKS = Map.ofEntries(
            Map.entry("2026-03-21", 2), Map.entry("2026-03-22", 2),
            Map.entry("2026-03-23", 4), Map.entry("2026-03-24", 5),
            Map.entry("2026-03-25", 6), Map.entry("2026-03-26", 5),
            Map.entry("2026-03-27", 4), Map.entry("2026-03-28", 1), Map.entry("2026-03-29", 3),
            Map.entry("2026-03-30", 7), Map.entry("2026-03-31", 8),
            Map.entry("2026-04-01", 7), Map.entry("2026-04-03", 7),
            Map.entry("2026-04-04", 1), Map.entry("2026-04-05", 1),
            Map.entry("2026-04-06", 8), Map.entry("2026-04-07", 10),
            Map.entry("2026-04-08", 9), Map.entry("2026-04-09", 8),
            Map.entry("2026-04-10", 8), Map.entry("2026-04-11", 1), Map.entry("2026-04-12", 1),
            Map.entry("2026-04-13", 9));

    private SmallDataSet() {}

    /** The reported days, newest first (order must not matter). */
    public static List<DailyUsage> days() {
        List<DailyUsage> days = new ArrayList<>();
        for (LocalDate date = TO; !date.isBefore(FROM); date = date.minusDays(1)) {
            Integer peak = PEAKS.get(date.toString());
            if (peak == null) {
                continue;
            }
            List<HourUsage> hours = new ArrayList<>();
            for (int h = 0; h < 24; h++) {
                if (date.equals(LocalDate.of(2026, 3, 29)) && h == 2) {
                    continue; // does not exist in Berlin that night
                }
                if (date.equals(LocalDate.of(2026, 3, 25)) && h >= 20) {
                    continue; // not reported
                }
                boolean full = date.equals(LocalDate.of(2026, 4, 7)) && h == 11;
                hours.add(new HourUsage(h, h == 10 ? peak : full ? 10 : 1, 3));
            }
            days.add(new DailyUsage(date, hours));
        }
        return days;
    }
}
