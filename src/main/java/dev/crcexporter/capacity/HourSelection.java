package dev.crcexporter.capacity;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which hours of the period count (--business-hours, --business-days): local wall-clock hours
 * {@code firstHour} to {@code endHour} (exclusive, so "08-18" is 08:00 to 18:00, hours 08..17) on the given
 * weekdays. Every figure of the report is computed over the selected hours only.
 *
 * @param firstHour 0..23
 * @param endHour   firstHour+1..24
 * @param days      the weekdays that count, never empty
 */
public record HourSelection(int firstHour, int endHour, Set<DayOfWeek> days) {
    public static final HourSelection ALL = new HourSelection(0, 24, EnumSet.allOf(DayOfWeek.class));

    private static final Pattern HOURS = Pattern.compile("(\\d{1,2})-(\\d{1,2})");
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    public HourSelection {
        if (firstHour < 0 || endHour > 24 || firstHour >= endHour) {
            throw new IllegalArgumentException("hours must be START-END with 0 <= START < END <= 24");
        }
        if (days.isEmpty()) {
            throw new IllegalArgumentException("no day selected");
        }
        days = Set.copyOf(days);
    }

    public boolean includes(LocalDate date, int hour) {
        return includes(date) && hour >= firstHour && hour < endHour;
    }

    public boolean includes(LocalDate date) {
        return days.contains(date.getDayOfWeek());
    }

    public boolean allHours() {
        return firstHour == 0 && endHour == 24;
    }

    public boolean allDays() {
        return days.size() == 7;
    }

    /** As --business-hours takes it ("08-18"), or empty when every hour counts. */
    public String hoursText() {
        return allHours() ? "" : String.format(Locale.ROOT, "%02d-%02d", firstHour, endHour);
    }

    /** The weekdays in order, "Mon,Tue,Wed,Thu,Fri", or empty when every day counts. */
    public String daysText() {
        return allDays() ? ""
                : EnumSet.copyOf(days).stream().map(HourSelection::shortName).collect(Collectors.joining(","));
    }

    /** For people: "all hours", "Mon,Tue,Wed,Thu,Fri 08:00-18:00". */
    public String describe() {
        if (allHours() && allDays()) {
            return "all hours";
        }
        String hours = allHours() ? "all hours" : String.format(Locale.ROOT, "%02d:00-%02d:00", firstHour, endHour);
        return allDays() ? hours : daysText() + " " + hours;
    }

    public static String shortName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ROOT);
    }

    /** "08-18": hours 08..17. */
    public static HourSelection withHours(HourSelection selection, String text) {
        Matcher m = HOURS.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--business-hours must be START-END in whole hours, like 08-18 (got \""
                    + text + "\")");
        }
        int first = Integer.parseInt(m.group(1));
        int end = Integer.parseInt(m.group(2));
        if (first > 23 || end > 24 || first >= end) {
            throw new IllegalArgumentException("--business-hours must be START-END with 0 <= START < END <= 24"
                    + " (got \"" + text + "\")");
        }
        return new HourSelection(first, end, selection.days());
    }

    /** "Mon-Fri", "Mon,Wed,Fri", "Sat-Sun", "Fri-Mon" (a range may wrap past Sunday); names as in English, any case. */
    public static HourSelection withDays(HourSelection selection, String text) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",", -1)) {
            String[] range = part.trim().split("-", -1);
            if (range.length > 2) {
                throw badDays(text);
            }
            DayOfWeek first = day(range[0], text);
            DayOfWeek last = range.length == 2 ? day(range[1], text) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return new HourSelection(selection.firstHour(), selection.endHour(), days);
    }

    private static DayOfWeek day(String name, String text) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        int index = key.length() >= 3 ? DAY_NAMES.indexOf(key.substring(0, 3)) : -1;
        if (index < 0 || !DayOfWeek.of(index + 1).name().toLowerCase(Locale.ROOT).startsWith(key)) {
            throw badDays(text);
        }
        return DayOfWeek.of(index + 1);
    }

    private static IllegalArgumentException badDays(String text) {
        return new IllegalArgumentException("--business-days must be weekdays or ranges like Mon-Fri or Mon,Wed,Fri"
                + " (got \"" + text + "\")");
    }
}
