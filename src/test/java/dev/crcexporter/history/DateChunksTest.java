package dev.crcexporter.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.history.DateChunks.Chunk;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DateChunksTest {
    private static LocalDate d(String date) {
        return LocalDate.parse(date);
    }

    private static List<String> requests(List<Chunk> chunks) {
        return chunks.stream().map(Chunk::toString).toList();
    }

    @Test
    void aSingleDayIsOneChunk() {
        List<Chunk> chunks = DateChunks.of(d("2026-12-01"), d("2026-12-01"));

        assertThat(requests(chunks)).containsExactly("2026-12-01..2026-12-01");
        assertThat(chunks.get(0).days()).isEqualTo(1);
    }

    @Test
    void aRangeInsideOneMonthIsOneRequest() {
        assertThat(requests(DateChunks.of(d("2026-03-05"), d("2026-03-31")))).containsExactly("2026-03-05..2026-03-31");
    }

    @Test
    void monthBoundariesSplitTheRange() {
        assertThat(requests(DateChunks.of(d("2026-01-31"), d("2026-02-01"))))
                .containsExactly("2026-01-31..2026-01-31", "2026-02-01..2026-02-01");
    }

    @Test
    void leapYearFebruaryHasTwentyNineDays() {
        List<Chunk> chunks = DateChunks.of(d("2028-02-10"), d("2028-03-01"));

        assertThat(chunks).containsExactly(new Chunk(d("2028-02-10"), d("2028-02-29")),
                new Chunk(d("2028-03-01"), d("2028-03-01")));
        assertThat(DateChunks.of(d("2026-02-01"), d("2026-03-01")).get(0).last()).isEqualTo(d("2026-02-28"));
    }

    @Test
    void ninetyDaysAreCalendarMonthsEachAtMostAMonthAndWithoutGapsOrOverlap() {
        LocalDate from = d("2026-08-29");
        LocalDate to = from.plusDays(89);
        List<Chunk> chunks = DateChunks.of(from, to);

        assertThat(requests(chunks)).containsExactly("2026-08-29..2026-08-31", "2026-09-01..2026-09-30",
                "2026-10-01..2026-10-31", "2026-11-01..2026-11-26");
        assertThat(chunks.stream().mapToLong(Chunk::days).sum()).isEqualTo(90);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.last()).isAfterOrEqualTo(chunk.first()).isBefore(chunk.first().plusMonths(1));
            if (i > 0) {
                assertThat(chunk.first()).isEqualTo(chunks.get(i - 1).last().plusDays(1));
            }
        }
    }

    @Test
    void aYearEndIsCrossed() {
        assertThat(requests(DateChunks.of(d("2025-12-30"), d("2026-01-02"))))
                .containsExactly("2025-12-30..2025-12-31", "2026-01-01..2026-01-02");
    }

    @Test
    void fromAfterToIsRefused() {
        assertThatThrownBy(() -> DateChunks.of(d("2026-01-02"), d("2026-01-01")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("from (2026-01-02) is after to (2026-01-01)");
    }
}
