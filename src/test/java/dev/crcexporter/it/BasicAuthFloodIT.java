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
import dev.crcexporter.testing.Http;
import dev.crcexporter.testing.Poll;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Valid scrapes while 16 threads send a new wrong password with every request to a cost-12 bcrypt user, as fast as
 * the exporter answers them: every valid scrape is answered 200 and every guess 401. Before issue 15, the guesses ran
 * bcrypt on every server thread and valid scrapes timed out behind them. How fast the valid scrapes are meanwhile is
 * a benchmark: bench/basic-auth-flood.sh.
 */
class BasicAuthFloodIT {
    private static final String PASSWORD = "valid-Scrape-Pa55";
    private static final int FLOOD_THREADS = 16;
    private static final int SCRAPES = 50;

    private final ExporterFixture fixture = new ExporterFixture();
    private final ExecutorService flooders = Executors.newFixedThreadPool(FLOOD_THREADS);

    @AfterEach
    void stop() throws Exception {
        flooders.shutdownNow();
        flooders.awaitTermination(30, TimeUnit.SECONDS);
        fixture.close();
    }

    @Test
    void validScrapesAreAnsweredWhileSixteenThreadsSendWrongPasswords() throws Exception {
        String hash = BCrypt.hashpw(PASSWORD, BCrypt.gensalt(12)).replace("$2a$", "$2y$");
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k", "upstream-secret", List.of());
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ExporterConfig.DEFAULT_TIMEZONE,
                Duration.ofHours(1), Duration.ofSeconds(2), 2, new RetryConfig(1, Duration.ofSeconds(1),
                Duration.ofSeconds(1)), List.of(new AccountConfig("hq", "k", new Secret("upstream-secret"),
                OptionalInt.of(4))), ZoomConfig.DEFAULT);
        Exporter exporter = fixture.start(config, new WebConfig(Optional.empty(), Map.of("prometheus", hash), Map.of()),
                Clock.systemUTC());
        URI metrics = URI.create("http://127.0.0.1:" + exporter.port() + "/metrics");
        HttpClient scraper = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(scrape(scraper, metrics, PASSWORD)).as("the valid password").isEqualTo(200);

        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong guesses = new AtomicLong();
        List<Integer> guessAnswers = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Future<?>> floods = new ArrayList<>();
        for (int i = 0; i < FLOOD_THREADS; i++) {
            floods.add(flooders.submit(() -> {
                HttpClient attacker = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                while (flooding.get()) {
                    guessAnswers.add(scrape(attacker, metrics, "guess-" + UUID.randomUUID()));
                    guesses.incrementAndGet();
                }
                return null;
            }));
        }
        List<Integer> valid = new ArrayList<>();
        try {
            Poll.until(Duration.ofSeconds(60), "the flood under way", () -> guesses.get() >= FLOOD_THREADS);
            while (valid.size() < SCRAPES) {
                valid.add(scrape(scraper, metrics, PASSWORD));
            }
        } finally {
            flooding.set(false);
            for (Future<?> flood : floods) {
                flood.get(60, TimeUnit.SECONDS);
            }
        }

        assertThat(valid).as("valid scrapes during the flood").hasSize(SCRAPES).containsOnly(200);
        assertThat(guessAnswers).as("guesses").hasSizeGreaterThan(FLOOD_THREADS).containsOnly(401);
    }

    private static int scrape(HttpClient client, URI url, String password) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .header("Authorization", Http.basic("prometheus", password)).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
