package dev.crcexporter.capacity;

import dev.crcexporter.capacity.Observations.DailyPeak;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Weekly peaks (ISO weeks, Monday to Sunday, in the account's zone) and their least-squares line. Only complete
 * weeks (all seven dates inside the period) with data are fitted: a partial week at either end holds fewer days
 * and would pull the line down. Week {@code i} is the i-th week from the one holding the period's first day.
 *
 * @param weeks        every week touching the period, oldest first
 * @param slope        ports per week, when at least two weeks were fitted
 * @param intercept    the line's value at week 0
 * @param weeksFitted  complete weeks with data
 * @param crossing     when the line reaches the capacity
 */
public record WeeklyTrend(List<WeeklyPeak> weeks, OptionalDouble slope, OptionalDouble intercept, int weeksFitted,
        Crossing crossing) {

    /** How far past the period's last week the crossing is looked for. */
    public static final int HORIZON_WEEKS = 52;

    /**
     * @param weekStart the Monday
     * @param peak      highest daily peak of the week's dates inside the period; empty when none was reported
     * @param complete  all seven dates lie inside the period
     * @param trend     the fitted line at this week
     */
    public record WeeklyPeak(LocalDate weekStart, OptionalLong peak, boolean complete, OptionalDouble trend) {}

    /** Where the line stands against the capacity. */
    public enum Reach {
        /**
         * A daily peak of the period reached the capacity ({@code week}: the week of the first), or the line is at or
         * above it in the period's last week ({@code week}: the first week it was), whichever came first.
         */
        ALREADY("already"),
        /** The line reaches capacity in {@code week}, within {@link #HORIZON_WEEKS} weeks after the period. */
        WITHIN_A_YEAR("within_a_year"),
        NOT_WITHIN_A_YEAR("not_within_a_year"),
        NO_CAPACITY("no_capacity"),
        TOO_FEW_WEEKS("too_few_weeks");

        private final String label;

        Reach(String label) {
            this.label = label;
        }

        /** The stable name in CSV and JSON. */
        public String label() {
            return label;
        }
    }

    public record Crossing(Reach reach, Optional<LocalDate> week) {
        /** For people: "already, since the week of 2026-04-06", "week of 2026-07-13", "not within a year". */
        public String text() {
            return switch (reach) {
                case ALREADY -> "already, since the week of " + week.orElseThrow();
                case WITHIN_A_YEAR -> "week of " + week.orElseThrow();
                case NOT_WITHIN_A_YEAR -> "not within a year";
                case NO_CAPACITY -> "no capacity configured";
                case TOO_FEW_WEEKS -> "too few complete weeks";
            };
        }
    }

    public WeeklyTrend {
        weeks = List.copyOf(weeks);
    }

    public static WeeklyTrend of(List<DailyPeak> dailyPeaks, LocalDate from, LocalDate to, OptionalInt capacity) {
        LocalDate firstMonday = from.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate lastMonday = to.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        int count = (int) ((lastMonday.toEpochDay() - firstMonday.toEpochDay()) / 7 + 1);
        long[] peaks = new long[count];
        java.util.Arrays.fill(peaks, -1);
        for (DailyPeak day : dailyPeaks) {
            if (day.peak().isPresent()) {
                int week = (int) ((day.date().toEpochDay() - firstMonday.toEpochDay()) / 7);
                peaks[week] = Math.max(peaks[week], day.peak().getAsLong());
            }
        }
        List<Integer> xs = new ArrayList<>();
        List<Long> ys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (complete(firstMonday.plusWeeks(i), from, to) && peaks[i] >= 0) {
                xs.add(i);
                ys.add(peaks[i]);
            }
        }
        OptionalDouble slope = OptionalDouble.empty();
        OptionalDouble intercept = OptionalDouble.empty();
        if (xs.size() >= 2) {
            double meanX = xs.stream().mapToDouble(Integer::doubleValue).average().orElseThrow();
            double meanY = ys.stream().mapToDouble(Long::doubleValue).average().orElseThrow();
            double sxy = 0;
            double sxx = 0;
            for (int j = 0; j < xs.size(); j++) {
                sxy += (xs.get(j) - meanX) * (ys.get(j) - meanY);
                sxx += (xs.get(j) - meanX) * (xs.get(j) - meanX);
            }
            slope = OptionalDouble.of(sxy / sxx);
            intercept = OptionalDouble.of(meanY - slope.getAsDouble() * meanX);
        }
        List<WeeklyPeak> weeks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LocalDate monday = firstMonday.plusWeeks(i);
            weeks.add(new WeeklyPeak(monday, peaks[i] < 0 ? OptionalLong.empty() : OptionalLong.of(peaks[i]),
                    complete(monday, from, to), slope.isPresent()
                            ? OptionalDouble.of(intercept.getAsDouble() + slope.getAsDouble() * i)
                            : OptionalDouble.empty()));
        }
        Optional<LocalDate> firstFull = capacity.isEmpty() ? Optional.empty() : dailyPeaks.stream()
                .filter(d -> d.peak().isPresent() && d.peak().getAsLong() >= capacity.getAsInt())
                .map(d -> d.date().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))).min(LocalDate::compareTo);
        Crossing crossing = crossing(slope, intercept, xs.isEmpty() ? 0 : xs.get(0), count - 1, capacity, firstMonday,
                firstFull);
        return new WeeklyTrend(weeks, slope, intercept, xs.size(), crossing);
    }

    private static boolean complete(LocalDate monday, LocalDate from, LocalDate to) {
        return !monday.isBefore(from) && !monday.plusDays(6).isAfter(to);
    }

    /** {@code firstFull}: the Monday of the first day at capacity. */
    private static Crossing crossing(OptionalDouble slope, OptionalDouble intercept, int firstFitted, int lastWeek,
            OptionalInt capacity, LocalDate firstMonday, Optional<LocalDate> firstFull) {
        Crossing line = line(slope, intercept, firstFitted, lastWeek, capacity, firstMonday);
        // Days already at capacity are facts: the line (of censored peaks) may not have got there yet.
        boolean earlier = line.reach() != Reach.ALREADY || firstFull.isPresent()
                && firstFull.get().isBefore(line.week().orElseThrow());
        if (firstFull.isPresent() && earlier) {
            return new Crossing(Reach.ALREADY, firstFull);
        }
        return line;
    }

    private static Crossing line(OptionalDouble slope, OptionalDouble intercept, int firstFitted, int lastWeek,
            OptionalInt capacity, LocalDate firstMonday) {
        if (slope.isEmpty()) {
            return new Crossing(Reach.TOO_FEW_WEEKS, Optional.empty());
        }
        if (capacity.isEmpty()) {
            return new Crossing(Reach.NO_CAPACITY, Optional.empty());
        }
        double a = intercept.getAsDouble();
        double b = slope.getAsDouble();
        double c = capacity.getAsInt();
        // Rounded before ceil so that a quotient like 12.000000000001 (binary fractions) still means week 12.
        long firstAtCapacity = b > 0 ? (long) Math.ceil(Math.round((c - a) / b * 1e9) / 1e9) : Long.MAX_VALUE;
        if (a + b * lastWeek >= c) {
            long week = b > 0 ? Math.max(firstFitted, firstAtCapacity) : firstFitted;
            return new Crossing(Reach.ALREADY, Optional.of(firstMonday.plusWeeks(week)));
        }
        if (b > 0 && firstAtCapacity <= lastWeek + HORIZON_WEEKS) {
            return new Crossing(Reach.WITHIN_A_YEAR, Optional.of(firstMonday.plusWeeks(firstAtCapacity)));
        }
        return new Crossing(Reach.NOT_WITHIN_A_YEAR, Optional.empty());
    }
}
