package dev.crcexporter.demo;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated account with a working-day curve: quiet nights, a morning peak around 10:00, a smaller
 * afternoon peak around 15:00, light weekends. Deterministic per account, date and hour, so every poll
 * of the same hour sees the same numbers.
 *
 * @param name      account label
 * @param capacity  purchased ports
 * @param peakPorts typical weekday peak of concurrent ports
 */
public record DemoAccount(String name, int capacity, int peakPorts) {

    public DailyUsage day(LocalDate date, int lastHour) {
        boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
        List<HourUsage> hours = new ArrayList<>(24);
        for (int hour = 0; hour <= lastHour; hour++) {
            SplittableRandom random = new SplittableRandom(((long) name.hashCode() << 32) ^ (date.toEpochDay() * 24 + hour));
            double shape = Math.exp(-Math.pow(hour - 10.5, 2) / 4) + 0.8 * Math.exp(-Math.pow(hour - 15, 2) / 5);
            double load = peakPorts * Math.min(shape, 1.0) * (weekend ? 0.15 : 1.0) * (0.85 + 0.2 * random.nextDouble());
            long max = Math.min(capacity, Math.round(load));
            long total = max == 0 ? (random.nextInt(4) == 0 ? 1 : 0) : Math.round(max * (1.6 + random.nextDouble()));
            hours.add(new HourUsage(hour, max, total));
        }
        return new DailyUsage(date, hours);
    }
}
