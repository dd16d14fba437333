package dev.crcexporter.demo;

import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code --demo}: four simulated accounts, one of them running close to its purchased ports: three served by a
 * {@link SimulatedCrcApi} (the seed API), one by a {@link SimulatedZoomApi} (token endpoint and metrics endpoint),
 * all on loopback and polled like real ones, so both sources are seen working with no credentials.
 */
public final class DemoMode implements AutoCloseable {
    static final List<DemoAccount> ACCOUNTS = List.of(
            new DemoAccount("headquarters", 40, 44, 0.5),
            new DemoAccount("shanghai-branch", 24, 19, 0.6),
            new DemoAccount("training-center", 10, 4, 0));
    /** Polled through the simulated Zoom. */
    static final DemoAccount ZOOM_ACCOUNT = new DemoAccount("emea-office", 16, 12, 0.3);
    private static final String DEMO_SECRET = "demo-secret-not-a-real-one";
    private static final String ZOOM_ACCOUNT_ID = "demo-zoom-account";
    private static final String ZOOM_CLIENT_ID = "demo-client-id";
    /** Short, so the demo shows changes soon; a real deployment keeps the 5m default. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(30);

    private final SimulatedCrcApi api;
    private final SimulatedZoomApi zoom;
    private final ExporterConfig config;

    private DemoMode(SimulatedCrcApi api, SimulatedZoomApi zoom, ExporterConfig config) {
        this.api = api;
        this.zoom = zoom;
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
        SimulatedZoomApi zoom = new SimulatedZoomApi(Map.of(ZOOM_ACCOUNT_ID, ZOOM_ACCOUNT), ZOOM_CLIENT_ID, DEMO_SECRET,
                zone, clock).start();
        List<AccountConfig> accounts = new ArrayList<>(byKey.entrySet().stream()
                .map(e -> new AccountConfig(e.getValue().name(), e.getKey(), new Secret(DEMO_SECRET),
                        OptionalInt.of(e.getValue().capacity())))
                .toList());
        accounts.add(new AccountConfig(ZOOM_ACCOUNT.name(), new Credentials.Zoom(ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID,
                new Secret(DEMO_SECRET)), OptionalInt.of(ZOOM_ACCOUNT.capacity()), Optional.empty()));
        ExporterConfig config = new ExporterConfig(api.url(), RequestMethod.POST, zone,
                POLL_INTERVAL, Duration.ofSeconds(5), ExporterConfig.DEFAULT_CONCURRENCY,
                new RetryConfig(2, Duration.ofSeconds(1), Duration.ofSeconds(5)), accounts,
                new ZoomConfig(zoom.metricsUrl(), zoom.tokenUrl()));
        return new DemoMode(api, zoom, config);
    }

    public ExporterConfig config() {
        return config;
    }

    @Override
    public void close() {
        api.close();
        zoom.close();
    }
}
