package dev.crcexporter.bench;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.DemoAccount;
import dev.crcexporter.metrics.CrcMetrics;
import dev.crcexporter.metrics.ProcessJvmMetrics;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.upstream.DailyUsage;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.GZIPOutputStream;

/**
 * The heap one render of a whole answer takes, per series, for each format: what {@code web/ScrapeMemory}'s constants
 * come from. Accounts with two complete days (48 hours) each, the answer rendered as the exporter renders it
 * ({@code registry.scrape()}, then client_java's writer into 64 KB blocks kept to the end), and the live heap (after a
 * full collection) read every 64 KB of output and at the end: the peak, less the live heap before, per series. Also the
 * heap of the accounts' snapshots and their view, per account. Run with {@code bench/render-cost.sh}.
 */
public final class RenderCost {
    private static final int BLOCK = 64 * 1024;
    private static long peak;

    private RenderCost() {}

    public static void main(String[] args) throws IOException {
        int accounts = Integer.parseInt(args[0]);
        Instant now = Instant.parse("2026-11-26T15:30:00Z"); // 23:30 in Shanghai: both days complete
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        long empty = live();
        SnapshotStore store = store(accounts, now, zone);
        System.out.printf("accounts %d: snapshots %d bytes per account%n", accounts, (live() - empty) / accounts);
        for (boolean hourly : new boolean[] {true, false}) {
            PrometheusRegistry registry = new PrometheusRegistry();
            CrcMetrics crc = new CrcMetrics(store, Clock.fixed(now, ZoneOffset.UTC), zone,
                    new BuildInfo("bench", "bench", "17"), Optional.empty(), Optional.empty(), hourly)
                    .register(registry);
            registry.register(() -> ProcessJvmMetrics.registry().scrape());
            if (hourly) { // the view stays while the accounts are the same: part of an account's heap
                long beforeView = live();
                crc.view();
                System.out.printf("the accounts' view: %d bytes per account%n", (live() - beforeView) / accounts);
            }
            long series = registry.scrape().stream().mapToLong(s -> s.getDataPoints().size()).sum();
            for (String format : List.of("text", "openmetrics", "protobuf", "protobuf-debug")) {
                for (boolean gzip : new boolean[] {false, true}) {
                    if (format.equals("protobuf-debug") && gzip) {
                        continue;
                    }
                    long before = live();
                    peak = before;
                    Blocks answer = new Blocks();
                    render(registry, format, gzip, answer);
                    peak = Math.max(peak, live());
                    System.out.printf("hourly %-5s %-14s gzip %-5s series %7d: render %4d bytes per series at its peak,"
                            + " answer %5.1f bytes per series%n", hourly, format, gzip, series,
                            (peak - before) / series, answer.length / (double) series);
                }
            }
        }
    }

    private static void render(PrometheusRegistry registry, String format, boolean gzip, Blocks answer)
            throws IOException {
        MetricSnapshots snapshots = registry.scrape();
        OutputStream out = new Sampling(gzip ? new GZIPOutputStream(answer, BLOCK) : answer);
        switch (format) {
            case "text" -> write(PrometheusTextFormatWriter.create(), out, snapshots);
            case "openmetrics" -> write(OpenMetricsTextFormatWriter.create(), out, snapshots);
            case "protobuf" -> write(new PrometheusProtobufWriter(), out, snapshots);
            default -> out.write(new PrometheusProtobufWriter().toDebugString(snapshots, EscapingScheme.DEFAULT)
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.close();
    }

    private static void write(ExpositionFormatWriter writer, OutputStream out, MetricSnapshots snapshots)
            throws IOException {
        writer.write(out, snapshots, EscapingScheme.DEFAULT);
    }

    private static SnapshotStore store(int count, Instant now, ZoneId zone) {
        List<AccountConfig> configs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            configs.add(new AccountConfig("account-" + i, "key-" + i, new Secret("secret"), OptionalInt.of(40)));
        }
        SnapshotStore store = new SnapshotStore(configs);
        LocalDate today = LocalDate.ofInstant(now, zone);
        for (int i = 0; i < count; i++) {
            DemoAccount simulated = new DemoAccount("account-" + i, 40, 10 + i % 30, 0);
            List<DailyUsage> usage = List.of(simulated.day(today.minusDays(1), 23, today),
                    simulated.day(today, 23, today));
            store.update(store.slots().get("account-" + i), s -> s.withSuccess(usage, now, Duration.ofMillis(20)));
        }
        return store;
    }

    /** Live heap: used after full collections. */
    private static long live() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** What the writer writes, passed on; reads the live heap every 64 KB. */
    private static final class Sampling extends OutputStream {
        private final OutputStream out;
        private long written;

        Sampling(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (written / BLOCK != (written + count) / BLOCK) {
                peak = Math.max(peak, live());
            }
            written += count;
            out.write(bytes, offset, count);
        }

        @Override
        public void close() throws IOException {
            peak = Math.max(peak, live());
            out.close();
        }
    }

    /**
     * As much heap as the exporter holds for the answer: a 64 KB block for every 64 KB written (the bytes matter
     * not).
     */
    private static final class Blocks extends OutputStream {
        private final List<byte[]> blocks = new ArrayList<>();
        private long length;

        @Override
        public void write(int b) {
            write(new byte[1], 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) {
            while (blocks.size() * (long) BLOCK < length + count) {
                blocks.add(new byte[BLOCK]);
            }
            length += count;
        }
    }
}
