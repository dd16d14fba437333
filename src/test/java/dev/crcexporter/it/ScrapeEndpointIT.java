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
import dev.crcexporter.testing.GzipMembers;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import io.prometheus.metrics.expositionformats.generated.Metrics;
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
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The telemetry path keeps what it rendered only while nothing changed: a poll shows at the very next scrape, in every
 * format and encoding; HEAD answers the headers of GET, other methods 405.
 */
class ScrapeEndpointIT {
    // 10:30 in Shanghai
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T02:30:00Z"), ZoneOffset.UTC);
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";
    private static final String PROTOBUF =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExporterFixture fixture = new ExporterFixture();

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private HttpResponse<byte[]> send(Exporter exporter, String method, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + exporter.port() + "/metrics"))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** crc_ports_current_max_usage{account="hq"} as the scrape in {@code accept} and {@code gzip} shows it. */
    private double currentMaxUsage(Exporter exporter, String accept, boolean gzip) throws Exception {
        List<String> headers = new ArrayList<>();
        if (accept != null) {
            headers.addAll(List.of("Accept", accept));
        }
        if (gzip) {
            headers.addAll(List.of("Accept-Encoding", "gzip"));
        }
        HttpResponse<byte[]> response = send(exporter, "GET", headers.toArray(String[]::new));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding").isPresent()).isEqualTo(gzip);
        byte[] body = gzip ? GzipMembers.inflateAll(response.body()) : response.body();
        if (PROTOBUF.equals(accept)) {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                if (family.getName().equals("crc_ports_current_max_usage")) {
                    return family.getMetric(0).getGauge().getValue();
                }
            }
            throw new AssertionError("no crc_ports_current_max_usage in the protobuf answer");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (OPENMETRICS.equals(accept)) {
            assertThat(text).endsWith("# EOF\n").containsOnlyOnce("# EOF");
        }
        return ExporterFixture.value(text, "crc_ports_current_max_usage{account=\"hq\"}").orElseThrow();
    }

    private static ExporterConfig config(FakeCrcApi upstream, Duration interval, Duration timeout) {
        return new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"),
                interval, timeout, 1, new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                List.of(new AccountConfig("hq", "k", new Secret("s"), OptionalInt.of(40))), ZoomConfig.DEFAULT);
    }

    private static List<DailyUsage> today10(long maxUsage, long totalUsage) {
        return List.of(new DailyUsage(LocalDate.of(2026, 11, 26), List.of(new HourUsage(10, maxUsage, totalUsage))));
    }

    @Test
    void aNewSnapshotIsVisibleAtTheVeryNextScrapeInEveryFormatAndEncoding() throws Exception {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k", "s", today10(7, 9));
        // A poll every 100ms, each held at the upstream until the test lets it answer: while the test scrapes, no
        // snapshot changes. Polls of an account never overlap, so the next poll's request means the last one is stored.
        Semaphore answers = new Semaphore(1);
        upstream.behave(request -> {
            answers.acquireUninterruptibly();
            return upstream.documentedAnswer(request);
        });
        Exporter exporter = fixture.start(config(upstream, Duration.ofMillis(100), Duration.ofSeconds(60)), CLOCK);
        fixture.closeLater(() -> answers.release(1000)); // before the exporter closes, which lets its requests finish
        Poll.until(Duration.ofSeconds(15), "first poll stored", () -> upstream.requestsFor("k") == 2);
        long value = 7;
        for (int poll = 0; poll < 3; poll++) {
            for (String accept : new String[] {null, OPENMETRICS, PROTOBUF}) {
                for (boolean gzip : new boolean[] {false, true}) {
                    for (int scrape = 0; scrape < 2; scrape++) { // rendered, then served as kept
                        assertThat(currentMaxUsage(exporter, accept, gzip)).as("Accept %s, gzip %s", accept, gzip)
                                .isEqualTo(value);
                    }
                }
            }
            // A poll that brings new data. The next scrape of every variant must show it.
            long next = value + 11;
            upstream.account("k", "s", today10(next, 80));
            long requests = upstream.requestsFor("k");
            answers.release();
            Poll.until(Duration.ofSeconds(15), "the poll stored", () -> upstream.requestsFor("k") == requests + 1);
            value = next;
        }
    }

    @Test
    void headAnswersTheHeadersOfGetAndOtherMethodsAre405WithAllow() throws Exception {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k", "s", List.of());
        Exporter exporter = fixture.start(config(upstream, Duration.ofHours(1), Duration.ofSeconds(5)), CLOCK);
        for (String[] headers : List.of(new String[0], new String[] {"Accept-Encoding", "gzip"},
                new String[] {"Accept", OPENMETRICS})) {
            HttpResponse<byte[]> head = send(exporter, "HEAD", headers);
            HttpResponse<byte[]> get = send(exporter, "GET", headers);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.headers().firstValue("Content-Encoding"))
                    .isEqualTo(get.headers().firstValue("Content-Encoding"));
            // The jvm_* values may differ by a digit or two between the two requests; the length is there and close.
            long headLength = Long.parseLong(head.headers().firstValue("Content-Length").orElseThrow());
            assertThat(headLength).isCloseTo(get.body().length, org.assertj.core.data.Percentage.withPercentage(5));
        }
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND")) {
            HttpResponse<byte[]> response = send(exporter, method);
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).as(method).hasValue("GET, HEAD");
        }
    }
}
