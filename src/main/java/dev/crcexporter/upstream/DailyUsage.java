package dev.crcexporter.upstream;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/** The hourly usage of one day; hours sorted, each at most once, missing hours simply absent. */
public record DailyUsage(LocalDate date, List<HourUsage> hours) {
    public DailyUsage {
        hours = hours.stream().sorted(Comparator.comparingInt(HourUsage::hour)).toList();
    }

    /** Highest {@code max_usage} among the hours present. */
    public OptionalLong peak() {
        return hours.stream().mapToLong(HourUsage::maxUsage).max();
    }
}
