package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.web.toolkit.WebConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Valid scrapes while 16 threads send wrong passwords to a cost-12 bcrypt user, as fast as the exporter
 * answers them: new guesses every time (a brute force), then one wrong password over and over (a scraper
 * with a stale password). Before, every wrong password ran bcrypt on a server thread, in parallel, and
 * valid scrapes queued behind them for seconds. The bound asserted is generous (a noisy 2-core machine);
 * the figures go to target/basic-auth-flood.txt and the closing note of issue 15.
 */
class BasicAuthFloodIT {
    private static final String PASSWORD = "valid-Scrape-Pa55";
    private static final int FLOOD_THREADS = 16;
    private static final int SCRAPES = 200;
    /** Far above the 100 ms goal, far below the seconds a flood cost before. */
    private static final long P99_BOUND_MILLIS = 1000;

    private final ExporterFixture fixture = new ExporterFixture();
    private final ExecutorService flooders = Executors.newFixedThreadPool(FLOOD_THREADS);

    @AfterEach
    void stop() throws Exception {
        flooders.shutdownNow();
        flooders.awaitTermination(30, TimeUnit.SECONDS);
        fixture.close();
    }

    record Latencies(List<Long> nanos, long floodRequests) {
        long percentileMillis(double p) {
            List<Long> sorted = nanos.stream().sorted().toList();
            int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
            return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, index)));
        }

        @Override
        public String toString() {
            return String.format("%d valid scrapes: p50 %d ms, p99 %d ms, max %d ms; %d flood requests answered meanwhile",
                    nanos.size(), percentileMillis(50), percentileMillis(99), percentileMillis(100), floodRequests);
        }
    }

    @Test
    void validScrapesStayFastWhileSixteenThreadsSendWrongPasswords() throws Exception {
        String hash = BCrypt.hashpw(PASSWORD, BCrypt.gensalt(12)).replace("$2a$", "$2y$");
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k", "upstream-secret", List.of());
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ExporterConfig.DEFAULT_TIMEZONE,
                Duration.ofHours(1), Duration.ofSeconds(2), 2, new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                List.of(new AccountConfig("hq", "k", new Secret("upstream-secret"), OptionalInt.of(4))), ZoomConfig.DEFAULT);
        Exporter exporter = fixture.start(config, new WebConfig(Optional.empty(), Map.of("prometheus", hash), Map.of()),
                Clock.systemUTC());
        URI metrics = URI.create("http://127.0.0.1:" + exporter.port() + "/metrics");
        HttpClient scraper = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(scrape(scraper, metrics, PASSWORD)).as("the valid password").isEqualTo(200);

        Latencies quiet = measureNoFlood(scraper, metrics);
        Latencies guesses = measure(scraper, metrics, () -> "guess-" + UUID.randomUUID());
        Latencies stale = measure(scraper, metrics, () -> "the-old-password");

        String report = "java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, bcrypt cost 12, "
                + FLOOD_THREADS + " flooding threads\n  no flood (the machine's own noise): " + quiet
                + "\n  new wrong password every request: " + guesses
                + "\n  one wrong password over and over: " + stale + "\n";
        System.out.print(report);
        Files.writeString(Path.of("target", "basic-auth-flood.txt"), report);
        assertThat(guesses.nanos()).as(report).hasSize(SCRAPES);
        assertThat(stale.nanos()).as(report).hasSize(SCRAPES);
        assertThat(guesses.percentileMillis(99)).as(report).isLessThan(P99_BOUND_MILLIS);
        assertThat(stale.percentileMillis(99)).as(report).isLessThan(P99_BOUND_MILLIS);
        assertThat(guesses.floodRequests()).as("the flood ran").isGreaterThan(SCRAPES);
    }

    /** The same scrapes without a flood: how noisy the machine is right now, for the report. */
    private Latencies measureNoFlood(HttpClient scraper, URI metrics) throws Exception {
        List<Long> nanos = new ArrayList<>();
        while (nanos.size() < SCRAPES) {
            long start = System.nanoTime();
            assertThat(scrape(scraper, metrics, PASSWORD)).isEqualTo(200);
            nanos.add(System.nanoTime() - start);
        }
        return new Latencies(nanos, 0);
    }

    private Latencies measure(HttpClient scraper, URI metrics, java.util.function.Supplier<String> wrongPassword)
            throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong floodRequests = new AtomicLong();
        List<java.util.concurrent.Future<?>> floods = new ArrayList<>();
        for (int i = 0; i < FLOOD_THREADS; i++) {
            floods.add(flooders.submit(() -> {
                HttpClient attacker = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                while (flooding.get()) {
                    try {
                        int status = scrape(attacker, metrics, wrongPassword.get());
                        assertThat(status).isEqualTo(401);
                        floodRequests.incrementAndGet();
                    } catch (java.io.IOException e) {
                        // a timeout under load: try again
                    }
                }
                return null;
            }));
        }
        try {
            Poll.until(Duration.ofSeconds(60), "the flood under way", () -> floodRequests.get() >= FLOOD_THREADS);
            List<Long> nanos = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (nanos.size() < SCRAPES && System.nanoTime() < deadline) {
                long start = System.nanoTime();
                assertThat(scrape(scraper, metrics, PASSWORD)).isEqualTo(200);
                nanos.add(System.nanoTime() - start);
            }
            return new Latencies(nanos, floodRequests.get());
        } finally {
            flooding.set(false);
            for (var flood : floods) {
                flood.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static int scrape(HttpClient client, URI url, String password) throws java.io.IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString(("prometheus:" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + credentials).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
