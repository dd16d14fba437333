package dev.crcexporter.poll;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.Duration;
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
 * @param yesterday        the day before {@code today}
 * @param today            the current date in the zone
 * @param currentHour      the current wall-clock hour (0..23) in the zone
 * @param previousHourDate the date of the hour that began before the current one ({@code yesterday} at 00:xx)
 * @param previousHour     the wall-clock hour that began before the current one (23 at 00:xx)
 */
public record DateWindow(LocalDate yesterday, LocalDate today, int currentHour, LocalDate previousHourDate,
        int previousHour) {

    public static DateWindow at(Instant now, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        // One real hour back, not "label minus one": after a spring-forward jump from 02:00 to 03:00 the hour
        // before 03 is 01; in the repeated hour of a fall-back day it is the same label.
        ZonedDateTime hourBefore = now.minus(Duration.ofHours(1)).atZone(zone);
        return new DateWindow(today.minusDays(1), today, local.getHour(), hourBefore.toLocalDate(),
                hourBefore.getHour());
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

    /**
     * The highest {@code max_usage} of the current and the previous hour among days already {@link #select selected}:
     * present as soon as either is reported, so a peak late in an hour stays visible after the hour boundary while
     * the API has not reported the new hour yet. Empty when neither is reported. The value behind
     * crc_ports_recent_max_usage, the series the saturation alerts use.
     */
    public OptionalLong recentMaxUsage(List<DailyUsage> selected) {
        return selected.stream()
                .flatMap(day -> day.hours().stream().filter(hour -> isRecent(day.date(), hour.hour())))
                .mapToLong(HourUsage::maxUsage).max();
    }

    private boolean isRecent(LocalDate date, int hour) {
        return (date.equals(today) && hour == currentHour) || (date.equals(previousHourDate) && hour == previousHour);
    }

    private DailyUsage begunHoursOf(DailyUsage day) {
        List<HourUsage> begun = day.hours().stream().filter(h -> h.hour() <= currentHour).toList();
        return begun.size() == day.hours().size() ? day : new DailyUsage(day.date(), begun);
    }
}
