package dev.crcexporter.history;

import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inclusive range of days into requests the API accepts: at most one calendar month each
 * (the API family's limit). 2026-01-15..2026-03-02 becomes 01-15..01-31, 02-01..02-28, 03-01..03-02. How a
 * chunk's last day becomes the request's {@code to} is each source's business (the seed API's is exclusive).
 */
public final class DateChunks {
    private DateChunks() {}

    /**
     * One request's days, both inclusive.
     *
     * @param first the first day asked for (the request's {@code from})
     * @param last  the last day asked for
     */
    public record Chunk(LocalDate first, LocalDate last) {
        public Chunk {
            if (last.isBefore(first)) {
                throw new IllegalArgumentException("chunk ends before it starts: " + first + ".." + last);
            }
        }

        public boolean contains(LocalDate date) {
            return !date.isBefore(first) && !date.isAfter(last);
        }

        public long days() {
            return last.toEpochDay() - first.toEpochDay() + 1;
        }

        @Override
        public String toString() {
            return first + ".." + last;
        }
    }

    /** How many chunks {@link #of} makes of {@code from}..{@code to}: the calendar months they touch. */
    public static long count(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
        }
        return to.getYear() * 12L + to.getMonthValue() - (from.getYear() * 12L + from.getMonthValue()) + 1;
    }

    /** Calendar-month chunks covering {@code from}..{@code to} (inclusive), oldest first. */
    public static List<Chunk> of(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
        }
        List<Chunk> chunks = new ArrayList<>();
        LocalDate first = from;
        while (!first.isAfter(to)) {
            LocalDate endOfMonth = first.with(TemporalAdjusters.lastDayOfMonth());
            LocalDate last = endOfMonth.isAfter(to) ? to : endOfMonth;
            chunks.add(new Chunk(first, last));
            first = last.plusDays(1);
        }
        return chunks;
    }
}
