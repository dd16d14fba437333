package dev.crcexporter.upstream;

import java.util.stream.IntStream;

/**
 * One hour of one day as the API reports it.
 *
 * @param hour       0..23, in the configured zone
 * @param maxUsage   peak number of concurrent CRC ports in that hour
 * @param totalUsage number of H.323/SIP connections in that hour (a volume, not a concurrency)
 */
public record HourUsage(int hour, long maxUsage, long totalUsage) {
    /** One string per hour, shared: a scrape writes the label of every hour of every account. */
    private static final String[] LABELS = IntStream.range(0, 24)
            .mapToObj(h -> h < 10 ? "0" + h : Integer.toString(h)).toArray(String[]::new);

    /** The hour as the API and the {@code hour} label write it: "00".."23". */
    public static String label(int hour) {
        return hour >= 0 && hour < 24 ? LABELS[hour] : Integer.toString(hour);
    }

    public String label() {
        return label(hour);
    }
}
