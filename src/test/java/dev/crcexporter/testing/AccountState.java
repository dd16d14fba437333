package dev.crcexporter.testing;

import dev.crcexporter.upstream.FailureReason;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One account as a scrape of {@code /metrics} shows it to a user: what the tests wait for and check of the poller.
 *
 * @param up          {@code crc_up} is 1: the last poll succeeded
 * @param polled      the first poll has finished, successfully or not: {@code crc_exporter_poll_duration_seconds} is
 *                    exposed from then on (a poll's duration is known only once it has ended)
 * @param lastSuccess {@code crc_exporter_last_success_timestamp_seconds}, to the millisecond, if exposed
 * @param errors      {@code crc_exporter_poll_errors_total} by reason (every reason the scrape shows)
 */
public record AccountState(boolean up, boolean polled, Optional<Instant> lastSuccess, Map<FailureReason, Long> errors) {
    private static final String UP_PREFIX = "crc_up{account=\"";

    /**
     * The failed requests of {@code reason}; an AssertionError (in a {@link Poll}: "not yet") if the scrape has
     * none.
     */
    public long errors(FailureReason reason) {
        Long count = errors.get(reason);
        if (count == null) {
            throw new AssertionError("no crc_exporter_poll_errors_total of reason " + reason.label()
                    + " in the scrape");
        }
        return count;
    }

    /** Every account of a text exposition (those with a {@code crc_up} series), by name in the exposition's order. */
    public static Map<String, AccountState> all(String metricsText) {
        Map<String, Double> samples = ExporterFixture.samples(metricsText);
        Map<String, AccountState> accounts = new LinkedHashMap<>();
        samples.forEach((series, value) -> {
            if (series.startsWith(UP_PREFIX) && series.endsWith("\"}")) {
                String name = series.substring(UP_PREFIX.length(), series.length() - 2);
                accounts.put(name, of(samples, name, value == 1.0));
            }
        });
        return accounts;
    }

    private static AccountState of(Map<String, Double> samples, String name, boolean up) {
        String account = "{account=\"" + name + "\"";
        Map<FailureReason, Long> errors = new EnumMap<>(FailureReason.class);
        for (FailureReason reason : FailureReason.values()) {
            Double count = samples.get("crc_exporter_poll_errors_total" + account + ",reason=\"" + reason.label()
                    + "\"}");
            if (count != null) {
                errors.put(reason, count.longValue());
            }
        }
        Optional<Instant> lastSuccess = Optional
                .ofNullable(samples.get("crc_exporter_last_success_timestamp_seconds" + account + "}"))
                .map(seconds -> Instant.ofEpochMilli(Math.round(seconds * 1000)));
        return new AccountState(up, samples.containsKey("crc_exporter_poll_duration_seconds" + account + "}"),
                lastSuccess, Map.copyOf(errors));
    }
}
