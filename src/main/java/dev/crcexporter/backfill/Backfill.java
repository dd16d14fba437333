package dev.crcexporter.backfill;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Durations;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.history.HistoryFetcher;
import dev.crcexporter.metrics.CrcMetrics;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import dev.crcexporter.upstream.RetryPolicy;
import dev.crcexporter.upstream.UpstreamException;
import dev.crcexporter.upstream.UsageSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches a range of days for every account and writes it as OpenMetrics for
 * {@code promtool tsdb create-blocks-from openmetrics}: {@code crc_ports_current_max_usage{account}} with one
 * sample per step through each hour the API reported, carrying that hour's {@code max_usage} (what the daemon
 * would have exposed during that hour), and {@code crc_ports_capacity{account}} at the same instants for
 * accounts with a configured capacity.
 *
 * <p>Accounts are fetched one after the other (the API is rate-limited), each in calendar-month requests with
 * the daemon's retry policy; an account whose request still fails is reported and skipped. Only one account's
 * days are held in memory; samples are streamed to the writer. Hours the API did not report, hours whose local
 * time does not exist (DST gap) and instants after now are not written.
 */
public final class Backfill {
    /**
     * What happened.
     *
     * @param accounts the accounts written
     * @param failed   the accounts skipped, with the error that made them fail
     * @param samples  samples written, both families
     * @param requests requests sent, retries included
     */
    public record Result(List<String> accounts, Map<String, String> failed, long samples, long requests) {}

    private final ExporterConfig config;
    private final HistoryFetcher fetcher;
    private final Clock clock;
    private final Duration step;
    private final PrintWriter progress;

    public Backfill(ExporterConfig config, UsageSources sources, Clock clock, Duration step, PrintWriter progress,
            HistoryFetcher.Sleeper sleeper) {
        if (step.isNegative() || step.isZero() || step.toMillis() % 1000 != 0
                || step.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("step must be whole seconds between 1s and 1h (got "
                    + Durations.format(step) + ")");
        }
        this.config = config;
        this.fetcher = new HistoryFetcher(sources, new RetryPolicy(config.retry()), sleeper,
                line -> report("%s", line));
        this.clock = clock;
        this.step = step;
        this.progress = progress;
    }

    public Result run(LocalDate from, LocalDate to, BackfillOutput output) throws IOException, InterruptedException {
        Instant now = clock.instant();
        Streams streams = new Streams(output);
        List<String> written = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<AccountConfig, BitSet> hoursWithData = new LinkedHashMap<>();
        long samples = 0;

        streams.forDay(from); // a single output always has its header, even when nothing else follows
        int index = 0;
        for (AccountConfig account : config.accounts()) {
            index++;
            String who = account.name() + " (" + index + "/" + config.accounts().size() + ")";
            List<DailyUsage> days;
            try {
                days = fetcher.fetch(account, who, from, to);
            } catch (UpstreamException e) {
                report("account %s FAILED, skipped: %s: %s", who, e.reason().label(), e.getMessage());
                failed.put(account.name(), e.reason().label() + ": " + e.getMessage());
                continue;
            } catch (RuntimeException e) {
                report("account %s FAILED, skipped: unexpected %s", who, e.getClass().getSimpleName());
                failed.put(account.name(), "unexpected " + e.getClass().getSimpleName());
                continue;
            }
            BitSet hours = new BitSet();
            long accountSamples = 0;
            for (DailyUsage day : days) {
                for (HourUsage hour : day.hours()) {
                    int count = writeHour(streams, account.name(), config.zoneOf(account), day.date(), hour.hour(),
                            hour.maxUsage(), now);
                    if (count > 0) {
                        hours.set(hourIndex(from, day.date(), hour.hour()));
                        accountSamples += count;
                    }
                }
            }
            samples += accountSamples;
            report("account %s: %d days, %d hours, %d samples", who, days.size(), hours.cardinality(), accountSamples);
            written.add(account.name());
            if (account.capacity().isPresent()) {
                hoursWithData.put(account, hours);
            }
        }

        if (!hoursWithData.isEmpty()) {
            streams.startCapacity();
            for (Map.Entry<AccountConfig, BitSet> entry : hoursWithData.entrySet()) {
                long capacity = entry.getKey().capacity().getAsInt();
                BitSet hours = entry.getValue();
                for (int i = hours.nextSetBit(0); i >= 0; i = hours.nextSetBit(i + 1)) {
                    samples += writeHour(streams, entry.getKey().name(), config.zoneOf(entry.getKey()),
                            from.plusDays(i / 24), i % 24, capacity, now);
                }
            }
        }
        streams.finish();
        return new Result(written, failed, samples, fetcher.requests());
    }

    /**
     * The OpenMetrics writers of the output, each started with the usage family when first used; the capacity
     * family follows in every one of them once all accounts' usage is written.
     */
    private static final class Streams {
        private final BackfillOutput output;
        private final Map<Writer, OpenMetricsWriter> writers = new IdentityHashMap<>();
        private final Map<LocalDate, OpenMetricsWriter> byDay = new HashMap<>();
        private boolean capacity;

        Streams(BackfillOutput output) {
            this.output = output;
        }

        OpenMetricsWriter forDay(LocalDate day) throws IOException {
            OpenMetricsWriter writer = byDay.get(day);
            if (writer == null) {
                Writer stream = output.forDay(day);
                writer = writers.get(stream);
                if (writer == null) {
                    if (capacity) {
                        throw new IllegalStateException("no usage was written for " + day);
                    }
                    writer = new OpenMetricsWriter(stream);
                    writer.gauge(CrcMetrics.CURRENT_MAX_USAGE, CrcMetrics.CURRENT_MAX_USAGE_HELP);
                    writers.put(stream, writer);
                }
                byDay.put(day, writer);
            }
            return writer;
        }

        void startCapacity() throws IOException {
            capacity = true;
            for (OpenMetricsWriter writer : writers.values()) {
                writer.gauge(CrcMetrics.CAPACITY, CrcMetrics.CAPACITY_HELP);
            }
        }

        void finish() throws IOException {
            for (OpenMetricsWriter writer : writers.values()) {
                writer.finish();
            }
        }
    }

    /** One sample per step from the hour's start while before its end and not after now; returns how many. */
    private int writeHour(Streams streams, String account, ZoneId zone, LocalDate date, int hour, long value,
            Instant now) throws IOException {
        LocalDateTime local = date.atTime(hour, 0);
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.isEmpty()) {
            return 0; // the hour does not exist in this zone (DST gap)
        }
        // On the fall-back day the hour happens twice under one label: from its first start to the next hour's
        // start covers both, as the daemon would have shown that label for two hours.
        long start = local.toEpochSecond(offsets.get(0));
        long nextHour = ZonedDateTime.ofLocal(local.plusHours(1), zone, null).toEpochSecond();
        long end = Math.min(nextHour, now.getEpochSecond() + 1);
        if (start >= end) {
            return 0;
        }
        OpenMetricsWriter metrics = streams.forDay(date);
        metrics.series("account", account);
        int count = 0;
        for (long t = start; t < end; t += step.toSeconds()) {
            if (metrics.sample(value, t)) {
                count++;
            }
        }
        return count;
    }

    private static int hourIndex(LocalDate from, LocalDate date, int hour) {
        return Math.toIntExact((date.toEpochDay() - from.toEpochDay()) * 24 + hour);
    }

    private void report(String format, Object... args) {
        progress.println("backfill: " + String.format(format, args));
        progress.flush();
    }
}
