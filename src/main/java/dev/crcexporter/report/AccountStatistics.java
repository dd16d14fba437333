package dev.crcexporter.report;

import dev.crcexporter.capacity.Level;
import dev.crcexporter.capacity.Observations;
import dev.crcexporter.capacity.Observations.HourPeak;
import dev.crcexporter.capacity.Percentiles;
import dev.crcexporter.capacity.WeeklyTrend;
import dev.crcexporter.report.AccountReport.HoursAtLevel;
import dev.crcexporter.report.AccountReport.WeekdayHourGrid;
import dev.crcexporter.upstream.DailyUsage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/** The figures of one account: pure functions of its days, its capacity, its zone and the options. */
public final class AccountStatistics {
    static final BigDecimal P95 = BigDecimal.valueOf(95);
    static final BigDecimal P99 = BigDecimal.valueOf(99);

    private AccountStatistics() {}

    /**
     * @param days what the API reported, any order; only {@code options.from()..options.to()} is used
     */
    public static AccountReport compute(String account, OptionalInt capacity, ZoneId zone, List<DailyUsage> days,
            ReportOptions options) {
        Observations observed = Observations.of(days, options.from(), options.to(), zone, options.selection());
        List<HourPeak> hours = observed.hours();
        Optional<HourPeak> peak = Optional.empty();
        for (HourPeak hour : hours) {
            if (peak.isEmpty() || hour.ports() > peak.get().ports()) {
                peak = Optional.of(hour);
            }
        }
        long highest = peak.map(HourPeak::ports).orElse(-1L);
        int hoursAtPeak = (int) hours.stream().filter(h -> h.ports() == highest).count();

        long[] dailyPeaks = observed.reportedDailyPeaks();
        Optional<HoursAtLevel> near = Optional.empty();
        Optional<HoursAtLevel> full = Optional.empty();
        // without a single reported hour, "0 hours at capacity" would be a guess
        if (capacity.isPresent() && !hours.isEmpty()) {
            int c = capacity.getAsInt();
            near = Optional.of(level(hours, ports -> Level.of(ports, c) != Level.NORMAL));
            full = Optional.of(level(hours, ports -> Level.of(ports, c) == Level.FULL));
        }
        long[] hourly = hours.stream().mapToLong(HourPeak::ports).toArray();
        WeeklyTrend trend = WeeklyTrend.of(observed.dailyPeaks(), options.from(), options.to(), capacity);
        return new AccountReport(account, zone, capacity, observed.coverage(), observed.dailyPeaks(), peak, hoursAtPeak,
                Percentiles.nearestRank(dailyPeaks, P95), Percentiles.nearestRank(dailyPeaks, P99), near, full, trend,
                options.rule().recommend(hourly, capacity, trend.slope()), WeekdayHourGrid.of(hours));
    }

    private static HoursAtLevel level(List<HourPeak> hours, LongPredicate reached) {
        TreeSet<LocalDate> dates = new TreeSet<>();
        int count = 0;
        for (HourPeak hour : hours) {
            if (reached.test(hour.ports())) {
                count++;
                dates.add(hour.date());
            }
        }
        return new HoursAtLevel(count, List.copyOf(dates));
    }
}
