package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.GzipMembers;
import dev.crcexporter.testing.JarExporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's attack: every scrape with an Accept header of its own. Before, the exporter kept one rendered answer
 * per distinct header; with 600 accounts (a 4 MB answer) and {@code deploy/jvm.options} (then 64 MiB of heap) the
 * process ended with an OutOfMemoryError after about a dozen such scrapes. Answers are kept by negotiated variant (a
 * dozen whatever the headers) within a byte budget: the real jar, under the real options, stays up and small.
 */
class ScrapeMemoryIT {
    private static final int ACCOUNTS = 600;
    private static final int SCRAPES = 100;
    private static final long RSS_BOUND = 256L << 20;
    private static final String[] FORMATS = {
        "text/plain;version=0.0.4;q=0.%d,*/*;q=0.1,application/x-attempt-%d",
        "application/openmetrics-text;version=1.0.0;q=0.%d,text/plain;q=0.1,application/x-attempt-%d",
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.%d,"
                + "x/attempt-%d",
    };

    @TempDir
    Path tmp;

    private final ExternalProcesses processes = new ExternalProcesses();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        processes.close();
    }

    @Test
    void aHundredDistinctAcceptHeadersLeaveTheProcessAliveAndSmall() throws Exception {
        try (FakeCrcApi upstream = new FakeCrcApi()) {
            Path config = new LargeFleet(upstream).config(ACCOUNTS, tmp.resolve("config.yml"));
            Path log = tmp.resolve("exporter.log");
            JarExporter.Running exporter = JarExporter.start(processes, log, Duration.ofSeconds(60),
                    "--config.file=" + config);

            long largest = 0;
            for (int i = 0; i < SCRAPES; i++) {
                boolean gzip = i % 4 == 3;
                String accept = String.format(FORMATS[i % FORMATS.length], i % 10, i);
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(exporter.url("/metrics")))
                        .timeout(Duration.ofSeconds(30)).header("Accept", accept);
                if (gzip) {
                    request.header("Accept-Encoding", "gzip");
                }
                HttpResponse<byte[]> response;
                try {
                    response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    Process process = exporter.process();
                    throw new AssertionError("scrape " + i + " failed; the exporter " + (process.isAlive() ? "is alive"
                            : "exited with " + process.exitValue()) + "\n" + ExternalProcesses.tail(log, 10), e);
                }
                assertThat(response.statusCode()).as("scrape %d", i).isEqualTo(200);
                byte[] body = gzip ? GzipMembers.inflateAll(response.body()) : response.body();
                largest = Math.max(largest, body.length);
                if (!accept.startsWith("application/vnd.google.protobuf")) {
                    assertThat(new String(body, StandardCharsets.UTF_8)).as("scrape %d", i)
                            .contains("crc_up{account=\"account-599\"} 1", "process_resident_memory_bytes");
                }
            }
            assertThat(largest).as("answers of several MB").isGreaterThan(3_500_000);
            assertThat(exporter.residentBytes()).as("resident memory after %d scrapes", SCRAPES)
                    .isLessThanOrEqualTo(RSS_BOUND);
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        }
    }
}
