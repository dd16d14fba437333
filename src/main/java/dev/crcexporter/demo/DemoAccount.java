package dev.crcexporter.demo;

import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated account with a working-day curve: quiet nights, a morning peak around 10:00, a smaller afternoon
 * peak around 15:00; a weekly rhythm (Tuesday to Thursday busiest, Friday lighter, weekends nearly empty); and slow
 * growth, so that months of history (for {@code report}) show a trend while today looks as it always did. Demand
 * above capacity is cut at the capacity, as the real API reports it. Deterministic per account, date and hour, so
 * every poll of the same hour sees the same numbers.
 *
 * @param name          account label
 * @param capacity      purchased ports
 * @param peakPorts     typical peak of concurrent ports on a busy weekday, today
 * @param growthPerYear relative growth of demand per year (0.2 = 20 %); days before today had less
 */
public record DemoAccount(String name, int capacity, int peakPorts, double growthPerYear) {
    /** Monday to Sunday. */
    private static final double[] WEEKDAY = {0.93, 1.0, 0.98, 0.96, 0.82, 0.15, 0.1};

    /** The hours 00..{@code lastHour} of {@code date}, with demand grown (or shrunk) to its level on that date. */
    public DailyUsage day(LocalDate date, int lastHour, LocalDate today) {
        double growth = Math.max(0.1, 1 + growthPerYear * (date.toEpochDay() - today.toEpochDay()) / 365.0);
        double busyDay = 0.93
                + 0.1 * new SplittableRandom(((long) name.hashCode() << 32) ^ ~date.toEpochDay()).nextDouble();
        double weekday = WEEKDAY[date.getDayOfWeek().getValue() - 1];
        List<HourUsage> hours = new ArrayList<>(24);
        for (int hour = 0; hour <= lastHour; hour++) {
            SplittableRandom random = new SplittableRandom(
                    ((long) name.hashCode() << 32) ^ (date.toEpochDay() * 24 + hour));
            double shape = Math.exp(-Math.pow(hour - 10.5, 2) / 4) + 0.8 * Math.exp(-Math.pow(hour - 15, 2) / 5);
            double load = peakPorts * growth * busyDay * weekday * Math.min(shape, 1.0)
                    * (0.85 + 0.2 * random.nextDouble());
            long max = Math.min(capacity, Math.round(load));
            long total = max == 0 ? (random.nextInt(4) == 0 ? 1 : 0) : Math.round(max * (1.6 + random.nextDouble()));
            hours.add(new HourUsage(hour, max, total));
        }
        return new DailyUsage(date, hours);
    }
}
