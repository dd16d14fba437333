package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.GzipMembers;
import dev.crcexporter.testing.Http;
import dev.crcexporter.testing.JarExporter;
import dev.crcexporter.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory contract, against the packaged jar under {@code deploy/jvm.options}: a fleet whose scrapes would not fit
 * the heap is refused at start and on reload, in one line that names the ways out; one that was accepted answers any
 * number of concurrent scrapes of every format without running out of heap (before, 2,500 accounts died at the first
 * eight concurrent text scrapes with {@code -Xmx64m}).
 */
class HeapContractIT {
    private static final Duration SCRAPE_BOUND = Duration.ofSeconds(180);
    private static final String TEXT = "text/plain;version=0.0.4";
    private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";
    private static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited";

    @TempDir
    Path tmp;

    private final ExternalProcesses processes = new ExternalProcesses();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        processes.close();
    }

    /** A scrape of {@code url} in {@code accept}, plain or gzip: its status and its body, inflated. */
    private record Scraped(String accept, boolean gzip, int status, byte[] body) {}

    /** {@code count} scrapes at once, the formats and encodings taken in turn; all of them answered. */
    private List<Scraped> concurrentScrapes(String url, int count, List<String> formats, boolean withGzip) {
        List<CompletableFuture<Scraped>> scrapes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String accept = formats.get(i % formats.size());
            boolean gzip = withGzip && (i / formats.size()) % 2 == 1;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(SCRAPE_BOUND)
                    .header("Accept", accept);
            if (gzip) {
                request.header("Accept-Encoding", "gzip");
            }
            scrapes.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
                try {
                    byte[] body = gzip && response.statusCode() == 200 ? GzipMembers.inflateAll(response.body())
                            : response.body();
                    return new Scraped(accept, gzip, response.statusCode(), body);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        return scrapes.stream().map(CompletableFuture::join).toList();
    }

    private static Map<String, Long> statuses(List<Scraped> scrapes) {
        return scrapes.stream().collect(Collectors.groupingBy(s -> s.accept() + (s.gzip() ? " gzip" : "") + " -> "
                + s.status(), Collectors.counting()));
    }

    @ParameterizedTest(name = "{0} accounts")
    @ValueSource(ints = {2_500, 10_000})
    void aFleetWithTheHourlySeriesIsRefusedAtStartOrAnswersConcurrentScrapesOfEveryFormat(int accounts)
            throws Exception {
        try (FakeCrcApi upstream = new FakeCrcApi()) {
            Path config = new LargeFleet(upstream).config(accounts, tmp.resolve("config.yml"));
            Path log = tmp.resolve("exporter.log");
            Process exporter = processes.start(log, JarExporter.command(List.of(), "--config.file=" + config)
                    .toArray(String[]::new));
            boolean refused = Poll.until(Duration.ofSeconds(180), Duration.ofMillis(100), "refused, or ready", () -> {
                if (!exporter.isAlive()) {
                    return Boolean.TRUE;
                }
                int port = JarExporter.portInLog(log);
                return port > 0 && Http.ok("http://127.0.0.1:" + port + "/-/ready") ? Boolean.FALSE : null;
            }, outcome -> outcome != null, () -> ExternalProcesses.tail(log, 10));
            if (refused) {
                assertThat(exporter.exitValue()).isEqualTo(2);
                List<String> lines = Files.readAllLines(log);
                assertThat(lines).hasSize(1);
                assertThat(lines.get(0))
                        .startsWith("crc-exporter: error: " + accounts + " accounts with the hourly series need")
                        .contains("MiB this JVM has (-Xmx)", "--shard=I/N", "--no-collector.hourly", "a larger -Xmx");
                assertThat(upstream.requests()).as("nothing polled").isEmpty();
                ExternalProcesses.Result check = processes.run(Duration.ofSeconds(60), JarExporter.command(List.of(),
                        "--config.file=" + config, "--config.check").toArray(String[]::new));
                assertThat(check.exitCode()).as("--config.check says so too").isEqualTo(2);
                assertThat(check.output()).isEqualTo(lines.get(0) + "\n");
                ExternalProcesses.Result without = processes.run(Duration.ofSeconds(60), JarExporter.command(List.of(),
                        "--config.file=" + config, "--config.check", "--no-collector.hourly").toArray(String[]::new));
                assertThat(without.exitCode()).as("%s", without.output()).isZero();
                return;
            }
            String url = "http://127.0.0.1:" + JarExporter.portInLog(log) + "/metrics";
            for (int round = 0; round < 2; round++) {
                List<Scraped> scrapes = concurrentScrapes(url, 16, List.of(TEXT, OPENMETRICS, PROTOBUF), true);
                assertThat(scrapes).as("round %d: %s", round, statuses(scrapes))
                        .allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
                ExternalProcesses.assertAlive(exporter);
            }
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void tenThousandAccountsWithoutTheHourlySeriesAnswerThirtyTwoConcurrentScrapesOfEveryFormat() throws Exception {
        try (FakeCrcApi upstream = new FakeCrcApi()) {
            Path config = new LargeFleet(upstream).config(10_000, tmp.resolve("config.yml"));
            Path log = tmp.resolve("exporter.log");
            JarExporter.Running exporter = JarExporter.start(processes, log, Duration.ofSeconds(240), List.of(),
                    "--config.file=" + config, "--no-collector.hourly");

            List<Scraped> scrapes = concurrentScrapes(exporter.url("/metrics"), 32,
                    List.of(TEXT, OPENMETRICS, PROTOBUF), true);
            assertThat(scrapes).as("%s", statuses(scrapes)).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
            ExternalProcesses.assertAlive(exporter.process());
            for (Scraped scrape : scrapes) {
                if (!scrape.accept().equals(PROTOBUF)) {
                    String text = new String(scrape.body(), StandardCharsets.UTF_8);
                    assertThat(text).doesNotContain("crc_ports_max_usage", "crc_ports_total_usage");
                    assertThat(text.lines().filter(line -> line.startsWith("crc_ports_recent_max_usage{account=\"")))
                            .as("%s%s", scrape.accept(), scrape.gzip() ? " gzip" : "").hasSize(10_000);
                }
            }
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void aReloadToTenThousandAccountsWithTheHourlySeriesIsRefusedUnder64MiBAndThe300KeepBeingServed() throws Exception {
        try (FakeCrcApi upstream = new FakeCrcApi()) {
            LargeFleet fleet = new LargeFleet(upstream);
            Path config = fleet.config(300, tmp.resolve("config.yml"));
            Path log = tmp.resolve("exporter.log");
            JarExporter.Running exporter = JarExporter.start(processes, log, Duration.ofSeconds(120),
                    List.of("-Xmx64m"), "--config.file=" + config);
            int polled = upstream.requests().size();

            fleet.config(10_000, config);
            HttpResponse<String> reload = http.send(HttpRequest.newBuilder(URI.create(exporter.url("/-/reload")))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(reload.statusCode()).isEqualTo(500);
            assertThat(reload.body()).startsWith("reload failed, the running configuration stays: 10000 accounts"
                    + " with the hourly series need about ").contains("MiB this JVM has (-Xmx)", "--shard=I/N",
                    "--no-collector.hourly", "a larger -Xmx").hasLineCount(1);
            String metrics = http.send(HttpRequest.newBuilder(URI.create(exporter.url("/metrics")))
                    .timeout(SCRAPE_BOUND).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(ExporterFixture.value(metrics, "crc_exporter_config_last_reload_successful")).hasValue(0.0);
            assertThat(ExporterFixture.samples(metrics).entrySet().stream()
                    .filter(sample -> sample.getKey().startsWith("crc_up{") && sample.getValue() == 1.0))
                    .as("the 300 accounts, up").hasSize(300);
            assertThat(upstream.requests()).as("none of the 10,000 polled").hasSize(polled);
            ExternalProcesses.assertAlive(exporter.process());
        }
    }
}
