package dev.crcexporter.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class HourSelectionTest {
    private static final LocalDate MONDAY = LocalDate.of(2026, 3, 23);

    @Test
    void businessHoursEndIsExclusive() {
        HourSelection hours = HourSelection.withHours(HourSelection.ALL, "08-18");
        assertThat(hours.includes(MONDAY, 7)).isFalse();
        assertThat(hours.includes(MONDAY, 8)).isTrue();
        assertThat(hours.includes(MONDAY, 17)).isTrue();
        assertThat(hours.includes(MONDAY, 18)).isFalse();
        assertThat(hours.hoursText()).isEqualTo("08-18");
        assertThat(hours.describe()).isEqualTo("08:00-18:00");
        assertThat(HourSelection.withHours(HourSelection.ALL, "0-24").allHours()).isTrue();
    }

    @Test
    void businessDaysAsRangesListsAndWrappingRanges() {
        assertThat(HourSelection.withDays(HourSelection.ALL, "Mon-Fri").days())
                .containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                        DayOfWeek.FRIDAY);
        assertThat(HourSelection.withDays(HourSelection.ALL, "mon,WED, friday").days())
                .containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
        assertThat(HourSelection.withDays(HourSelection.ALL, "Fri-Mon").days())
                .containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
        assertThat(HourSelection.withDays(HourSelection.ALL, "Sun-Sat").allDays()).isTrue();
        HourSelection weekdays = HourSelection.withDays(HourSelection.withHours(HourSelection.ALL, "09-17"), "Mon-Fri");
        assertThat(weekdays.includes(MONDAY.plusDays(5), 10)).isFalse(); // Saturday
        assertThat(weekdays.describe()).isEqualTo("Mon,Tue,Wed,Thu,Fri 09:00-17:00");
        assertThat(weekdays.daysText()).isEqualTo("Mon,Tue,Wed,Thu,Fri");
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatThrownBy(() -> HourSelection.withHours(HourSelection.ALL, "18-08"))
                .hasMessage("--business-hours must be START-END with 0 <= START < END <= 24 (got \"18-08\")");
        assertThatThrownBy(() -> HourSelection.withHours(HourSelection.ALL, "8am-6pm"))
                .hasMessage("--business-hours must be START-END in whole hours, like 08-18 (got \"8am-6pm\")");
        assertThatThrownBy(() -> HourSelection.withDays(HourSelection.ALL, "Mo-Fr"))
                .hasMessage("--business-days must be weekdays or ranges like Mon-Fri or Mon,Wed,Fri (got \"Mo-Fr\")");
        assertThatThrownBy(() -> HourSelection.withDays(HourSelection.ALL, "Mon-Wed-Fri"))
                .hasMessageStartingWith("--business-days must be");
        assertThatThrownBy(() -> HourSelection.withDays(HourSelection.ALL, ""))
                .hasMessageStartingWith("--business-days must be");
    }
}
