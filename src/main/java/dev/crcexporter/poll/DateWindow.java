package dev.crcexporter.poll;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Yesterday and today as the API counts them: calendar dates and clock hours in the configured zone.
 * The API labels hours by local wall-clock hour, so on a DST day an hour may be missing or counted
 * twice under one label; we take its labels as they come.
 *
 * @param yesterday   the day before {@code today}
 * @param today       the current date in the zone
 * @param currentHour the current wall-clock hour (0..23) in the zone
 */
public record DateWindow(LocalDate yesterday, LocalDate today, int currentHour) {

    public static DateWindow at(Instant now, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        return new DateWindow(today.minusDays(1), today, local.getHour());
    }

    /** The {@code to} parameter that makes the API answer up to and including today. */
    public LocalDate requestEnd() {
        return today.plusDays(1);
    }

    /**
     * Keeps yesterday and today, whatever else or in whatever order the API answered, oldest first;
     * drops today's hours that have not begun (the API may report them as zeros).
     */
    public List<DailyUsage> select(List<DailyUsage> days) {
        return days.stream()
                .filter(day -> day.date().equals(yesterday) || day.date().equals(today))
                .map(day -> day.date().equals(today) ? begunHoursOf(day) : day)
                .sorted(Comparator.comparing(DailyUsage::date))
                .toList();
    }

    /**
     * The {@code max_usage} of the current hour among days already {@link #select selected}; empty until
     * the API reports that hour. The value behind crc_ports_current_max_usage and the landing page's "now".
     */
    public OptionalLong currentMaxUsage(List<DailyUsage> selected) {
        return selected.stream().filter(day -> day.date().equals(today)).flatMap(day -> day.hours().stream())
                .filter(hour -> hour.hour() == currentHour).mapToLong(HourUsage::maxUsage).findFirst();
    }

    private DailyUsage begunHoursOf(DailyUsage day) {
        List<HourUsage> begun = day.hours().stream().filter(h -> h.hour() <= currentHour).toList();
        return begun.size() == day.hours().size() ? day : new DailyUsage(day.date(), begun);
    }
}
