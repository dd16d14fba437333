package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.crcexporter.Exporter;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.PrometheusServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Prometheus (Debian's) reads every series of the exporter's answers in the formats it asks for: gzip always,
 * OpenMetrics by default and protobuf when native histograms are enabled; every CRC series and the jvm_* and
 * process_* ones, from one and the same scrape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one exporter for both runs of Prometheus
class PrometheusReadsEveryFormatIT {
    /** 23:30 in Shanghai: 48 reported hours per account. */
    private static final Instant NOW = Instant.parse("2026-11-26T15:30:00Z");
    private static final int ACCOUNTS = 150;

    @TempDir
    Path tmp;

    private final ExporterFixture fixture = new ExporterFixture();
    private final ExternalProcesses processes = new ExternalProcesses();
    private final List<String> acceptHeaders = new CopyOnWriteArrayList<>();
    private HttpServer acceptRecorder;
    private Exporter exporter;

    @BeforeAll
    void startExporter() throws Exception {
        exporter = fixture.startWithFullDays(fixture.closeLater(new FakeCrcApi()), ACCOUNTS,
                Clock.fixed(NOW, ZoneOffset.UTC));
        // A second target that only records what Prometheus asks for.
        acceptRecorder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        acceptRecorder.createContext("/", exchange -> {
            acceptHeaders.add(exchange.getRequestHeaders().getFirst("Accept") + " | "
                    + exchange.getRequestHeaders().getFirst("Accept-Encoding"));
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        acceptRecorder.start();
    }

    @AfterEach
    void stopPrometheus() {
        processes.close();
        acceptHeaders.clear();
    }

    @AfterAll
    void stop() throws Exception {
        if (acceptRecorder != null) {
            acceptRecorder.stop(0);
        }
        fixture.close();
    }

    @ParameterizedTest(name = "native histograms {0}")
    @ValueSource(booleans = {false, true})
    void prometheusReadsEverySeriesOfAScrape(boolean nativeHistograms) throws Exception {
        Path config = Files.writeString(tmp.resolve("prometheus-" + nativeHistograms + ".yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: crc
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: recorder
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(exporter.port(), acceptRecorder.getAddress().getPort()));
        String[] flags = nativeHistograms ? new String[] {"--enable-feature=native-histograms"} : new String[0];
        PrometheusServer prometheus = PrometheusServer.start(processes, config,
                Files.createDirectories(tmp.resolve("data-" + nativeHistograms)),
                tmp.resolve("prometheus-" + nativeHistograms + ".log"), flags);

        long maxUsageLines = fixture.metrics(exporter).lines().filter(l -> l.startsWith("crc_ports_max_usage{"))
                .count();
        assertThat(maxUsageLines).isEqualTo(ACCOUNTS * 48L);
        // Every series, CRC and JVM, from one and the same scrape.
        String query = "count(crc_ports_max_usage) + count(crc_up) + count(process_resident_memory_bytes)"
                + " + count(jvm_memory_used_bytes > 0) * 0";
        double expected = maxUsageLines + ACCOUNTS + 1;
        Poll.until(Duration.ofSeconds(30), Duration.ofMillis(300), "Prometheus has every series of a scrape", () -> {
            ExternalProcesses.assertAlive(prometheus.process());
            JsonNode result = prometheus.query(query);
            return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
        }, v -> v == expected, prometheus::logTail);
        // The next scrapes too; a scrape may time out on a loaded machine, but none may be unreadable.
        List<String> errors = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Poll.until(Duration.ofSeconds(20), Duration.ofMillis(200), "three more scrapes", () -> {
            for (JsonNode target : prometheus.get("/api/v1/targets").path("data").path("activeTargets")) {
                if (target.path("labels").path("job").asText().equals("crc")
                        && !seen.contains(target.path("lastScrape").asText())) {
                    seen.add(target.path("lastScrape").asText());
                    errors.add(target.path("lastError").asText());
                }
            }
            return seen.size();
        }, n -> n >= 4, () -> "");
        assertThat(errors).as("errors of the last scrapes").allSatisfy(error ->
                assertThat(error).satisfiesAnyOf(e -> assertThat(e).isEmpty(),
                        e -> assertThat(e).contains("deadline exceeded")));

        assertThat(acceptHeaders).as("what Prometheus asks for").isNotEmpty().allSatisfy(header -> {
            assertThat(header).contains("| gzip");
            assertThat(header)
                    .startsWith(nativeHistograms ? "application/vnd.google.protobuf" : "application/openmetrics-text");
        });
    }
}
