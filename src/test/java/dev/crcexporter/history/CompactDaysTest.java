package dev.crcexporter.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactDaysTest {
    private static final LocalDate FIRST = LocalDate.of(2026, 3, 1);

    @Test
    void keepsReportedHoursOfTheRangeAndNothingElse() {
        CompactDays days = CompactDays.of(List.of(
                new DailyUsage(LocalDate.of(2026, 2, 28), List.of(new HourUsage(5, 9, 9))),
                new DailyUsage(LocalDate.of(2026, 3, 3), List.of(new HourUsage(23, 7, 1), new HourUsage(0, 0, 0))),
                new DailyUsage(LocalDate.of(2026, 3, 1), List.of(new HourUsage(10, 1_000_000, 5))),
                new DailyUsage(LocalDate.of(2026, 3, 4), List.of(new HourUsage(1, 9, 9)))), FIRST,
                LocalDate.of(2026, 3, 3));

        // 02-28 and 03-04 are outside the range; 03-02 has no hour: absent, not a day of zeros; a reported 0 stays a 0
        assertThat(days.days()).containsExactly(
                new DailyUsage(FIRST, List.of(new HourUsage(10, 1_000_000, 0))),
                new DailyUsage(LocalDate.of(2026, 3, 3), List.of(new HourUsage(0, 0, 0), new HourUsage(23, 7, 0))));
    }
}
