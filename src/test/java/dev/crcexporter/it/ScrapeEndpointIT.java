package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import dev.crcexporter.web.ListenAddress;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalInt;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The telemetry path reuses its rendered answer only while nothing changed: a poll shows at the next scrape. */
class ScrapeEndpointIT {
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z"); // 10:30 in Shanghai
    private final HttpClient http = HttpClient.newHttpClient();

    private byte[] scrape(Exporter exporter, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port() + "/metrics"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private static String gunzip(byte[] body) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aNewSnapshotShowsAtTheNextScrapeInEveryFormat() throws Exception {
        try (FakeCrcApi upstream = new FakeCrcApi().account("k", "s", List.of(
                new DailyUsage(LocalDate.of(2026, 11, 26), List.of(new HourUsage(10, 7, 9)))))) {
            ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"),
                    Duration.ofHours(1), Duration.ofSeconds(5), 1, new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                    List.of(new AccountConfig("hq", "k", new Secret("s"), OptionalInt.of(40))));
            try (Exporter exporter = Exporter.start(config, new ListenAddress("127.0.0.1", 0), "/metrics",
                    Clock.fixed(NOW, ZoneOffset.UTC))) {
                Poll.until(Duration.ofSeconds(15), "first poll", () -> exporter.store().get("hq").up());
                String line = "crc_ports_current_max_usage{account=\"hq\"} ";
                for (int i = 0; i < 3; i++) { // render once, then served again
                    assertThat(new String(scrape(exporter), StandardCharsets.UTF_8)).contains(line + "7.0");
                    assertThat(gunzip(scrape(exporter, "Accept-Encoding", "gzip"))).contains(line + "7.0");
                }

                // What a poll does: swap in a new snapshot.
                exporter.store().update("hq", s -> s.withSuccess(List.of(new DailyUsage(LocalDate.of(2026, 11, 26),
                        List.of(new HourUsage(10, 39, 80)))), NOW, Duration.ofMillis(3)));

                assertThat(new String(scrape(exporter), StandardCharsets.UTF_8)).contains(line + "39.0");
                assertThat(gunzip(scrape(exporter, "Accept-Encoding", "gzip"))).contains(line + "39.0");
                assertThat(new String(scrape(exporter, "Accept", "application/openmetrics-text; version=1.0.0"),
                        StandardCharsets.UTF_8)).contains(line + "39.0").endsWith("# EOF\n");
            }
        }
    }
}
