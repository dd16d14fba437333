package dev.crcexporter.demo;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code --demo}: three simulated accounts, one of them running close to its purchased ports, served by
 * a {@link SimulatedCrcApi} on loopback and polled like a real one.
 */
public final class DemoMode implements AutoCloseable {
    static final List<DemoAccount> ACCOUNTS = List.of(
            new DemoAccount("headquarters", 40, 44, 0.5),
            new DemoAccount("shanghai-branch", 24, 19, 0.6),
            new DemoAccount("training-center", 10, 4, 0));
    private static final String DEMO_SECRET = "demo-secret-not-a-real-one";
    /** Short, so the demo shows changes soon; a real deployment keeps the 5m default. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(30);

    private final SimulatedCrcApi api;
    private final ExporterConfig config;

    private DemoMode(SimulatedCrcApi api, ExporterConfig config) {
        this.api = api;
        this.config = config;
    }

    public static DemoMode start(Clock clock) throws IOException {
        Map<String, DemoAccount> byKey = new LinkedHashMap<>();
        for (DemoAccount account : ACCOUNTS) {
            byKey.put("demo-key-" + account.name(), account);
        }
        // The demo follows the viewer's own working day, whatever the time in the vendor's zone.
        ZoneId zone = ZoneId.systemDefault();
        SimulatedCrcApi api = new SimulatedCrcApi(byKey, DEMO_SECRET, zone, clock).start();
        List<AccountConfig> accounts = byKey.entrySet().stream()
                .map(e -> new AccountConfig(e.getValue().name(), e.getKey(), new Secret(DEMO_SECRET),
                        OptionalInt.of(e.getValue().capacity())))
                .toList();
        ExporterConfig config = new ExporterConfig(api.url(), RequestMethod.POST, zone,
                POLL_INTERVAL, Duration.ofSeconds(5), ExporterConfig.DEFAULT_CONCURRENCY,
                new RetryConfig(2, Duration.ofSeconds(1), Duration.ofSeconds(5)), accounts);
        return new DemoMode(api, config);
    }

    public ExporterConfig config() {
        return config;
    }

    @Override
    public void close() {
        api.close();
    }
}
