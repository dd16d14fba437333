package dev.crcexporter.bench;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.Http;
import dev.crcexporter.web.toolkit.WebConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Valid scrapes while THREADS threads send wrong passwords to a cost-12 bcrypt user as fast as the exporter answers
 * them (bench/basic-auth-flood.sh, bench/README.md "Basic auth under a flood of wrong passwords"): SCRAPES valid
 * scrapes alone, then while every flood request carries a new wrong password (a brute force), then while they all
 * carry one wrong password over and over (a scraper with a stale password). An in-process exporter, as
 * it/BasicAuthFloodIT starts one; that test checks what is answered, this measures how fast.
 *   BasicAuthFlood [SCRAPES, default 200] [THREADS, default 16]
 * Prints the median, 99th percentile and slowest valid scrape of each phase and the flood requests answered.
 */
public final class BasicAuthFlood {
    private static final String PASSWORD = "valid-Scrape-Pa55";

    private BasicAuthFlood() {}

    /** The durations of the valid scrapes of one phase, and the flood requests answered meanwhile. */
    record Latencies(List<Long> nanos, long floodRequests) {
        long percentileMillis(double p) {
            List<Long> sorted = nanos.stream().sorted().toList();
            int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
            return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, index)));
        }

        @Override
        public String toString() {
            return String.format("%d valid scrapes: p50 %d ms, p99 %d ms, max %d ms; %d flood requests answered"
                    + " meanwhile", nanos.size(), percentileMillis(50), percentileMillis(99), percentileMillis(100),
                    floodRequests);
        }
    }

    public static void main(String[] args) throws Exception {
        int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        String hash = BCrypt.hashpw(PASSWORD, BCrypt.gensalt(12)).replace("$2a$", "$2y$");
        ExecutorService flooders = Executors.newFixedThreadPool(threads);
        try (ExporterFixture fixture = new ExporterFixture()) {
            FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k", "upstream-secret", List.of());
            ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST,
                    ExporterConfig.DEFAULT_TIMEZONE, Duration.ofHours(1), Duration.ofSeconds(2), 2,
                    new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                    List.of(new AccountConfig("hq", "k", new Secret("upstream-secret"), OptionalInt.of(4))),
                    ZoomConfig.DEFAULT);
            Exporter exporter = fixture.start(config,
                    new WebConfig(Optional.empty(), Map.of("prometheus", hash), Map.of()), Clock.systemUTC());
            URI metrics = URI.create("http://127.0.0.1:" + exporter.port() + "/metrics");
            HttpClient scraper = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            expect(200, scrape(scraper, metrics, PASSWORD)); // a valid scraper, remembered from now on

            Latencies quiet = measure(scraper, metrics, scrapes, flooders, 0, () -> "");
            Latencies guesses = measure(scraper, metrics, scrapes, flooders, threads,
                    () -> "guess-" + UUID.randomUUID());
            Latencies stale = measure(scraper, metrics, scrapes, flooders, threads, () -> "the-old-password");
            System.out.printf("java %s, %d CPUs, bcrypt cost 12, %d flooding threads%n  no flood (the machine's own"
                    + " noise): %s%n  new wrong password every request: %s%n  one wrong password over and over: %s%n",
                    Runtime.version(), Runtime.getRuntime().availableProcessors(), threads, quiet, guesses, stale);
        } finally {
            flooders.shutdownNow();
        }
    }

    private static Latencies measure(HttpClient scraper, URI metrics, int scrapes, ExecutorService flooders,
            int threads, Supplier<String> wrongPassword) throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong floodRequests = new AtomicLong();
        List<Future<?>> floods = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            floods.add(flooders.submit(() -> {
                HttpClient attacker = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                while (flooding.get()) {
                    try {
                        expect(401, scrape(attacker, metrics, wrongPassword.get()));
                        floodRequests.incrementAndGet();
                    } catch (IOException e) {
                        // a timeout under load: try again
                    }
                }
                return null;
            }));
        }
        try {
            while (floodRequests.get() < threads) {
                Thread.sleep(10); // the flood under way
            }
            List<Long> nanos = new ArrayList<>();
            while (nanos.size() < scrapes) {
                long start = System.nanoTime();
                expect(200, scrape(scraper, metrics, PASSWORD));
                nanos.add(System.nanoTime() - start);
            }
            return new Latencies(nanos, floodRequests.get());
        } finally {
            flooding.set(false);
            for (Future<?> flood : floods) {
                flood.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static void expect(int status, int got) {
        if (got != status) {
            throw new IllegalStateException("expected HTTP " + status + ", got " + got);
        }
    }

    private static int scrape(HttpClient client, URI url, String password) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Authorization", Http.basic("prometheus", password)).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
