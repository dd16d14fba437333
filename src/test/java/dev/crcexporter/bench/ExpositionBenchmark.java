package dev.crcexporter.bench;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.DemoAccount;
import dev.crcexporter.metrics.CrcMetrics;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.upstream.DailyUsage;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Snapshot to exposition text, the work of one scrape without HTTP, for 1 and 1,000 accounts of two
 * full days each. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx256m"})
public class ExpositionBenchmark {
    @Param({"1", "1000"})
    int accounts;

    private PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);

    @Setup
    public void setUp() {
        ZoneId zone = ZoneId.of("UTC");
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, zone);
        List<AccountConfig> configs = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            configs.add(new AccountConfig("account-" + i, "key-" + i, new Secret("secret"), OptionalInt.of(40)));
        }
        SnapshotStore store = new SnapshotStore(configs);
        for (int i = 0; i < accounts; i++) {
            DemoAccount simulated = new DemoAccount("account-" + i, 40, 10 + i % 30, 0);
            List<DailyUsage> usage = List.of(simulated.day(today.minusDays(1), 23, today),
                    simulated.day(today, 23, today));
            store.update(store.slots().get("account-" + i), s -> s.withSuccess(usage, now, Duration.ofMillis(20)));
        }
        registry = new PrometheusRegistry();
        new CrcMetrics(store, Clock.systemUTC(), zone, new BuildInfo("bench", "bench", "17"), Optional.empty(),
                Optional.empty(), true).register(registry);
    }

    @Benchmark
    public int scrapeAndWriteText() throws IOException {
        out.reset();
        writer.write(out, registry.scrape());
        return out.size();
    }
}
