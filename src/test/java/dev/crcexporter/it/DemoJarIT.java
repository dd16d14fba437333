package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.Poll;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, for real: the packaged jar with {@code --demo}, scraped over HTTP,
 * checked by promtool, stopped with SIGTERM.
 */
class DemoJarIT {
    private static final Path JAR = Path.of("target/crc-exporter.jar");
    private static final List<String> CONTRACT = List.of(
            "crc_ports_max_usage{", "crc_ports_total_usage{", "crc_ports_current_max_usage{", "crc_ports_daily_max_usage{",
            "crc_ports_capacity{", "crc_up{", "crc_exporter_last_success_timestamp_seconds{",
            "crc_exporter_poll_duration_seconds{", "crc_exporter_poll_errors_total{", "crc_exporter_build_info{",
            "jvm_memory_used_bytes{", "process_resident_memory_bytes ");

    private final HttpClient http = HttpClient.newHttpClient();
    private Process exporter;

    @AfterEach
    void stop() {
        if (exporter != null && exporter.isAlive()) {
            exporter.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void demoServesTheWholeContractPassesPromtoolAndStopsCleanlyOnSigterm() throws Exception {
        assertThat(JAR).as("run `mvn package` first").exists();
        int port = freePort();
        Path log = Files.createTempFile("crc-demo", ".log");
        exporter = new ProcessBuilder("java", "-jar", JAR.toString(), "--demo", "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        Poll.until(Duration.ofSeconds(30), "demo ready", () -> status(port, "/-/ready") == 200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        for (String series : CONTRACT) {
            assertThat(metrics).as("a sample of %s", series).contains("\n" + series);
        }
        assertThat(metrics).contains("crc_up{account=\"headquarters\"} 1.0");

        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(metrics.getBytes());
        promtool.getOutputStream().close();
        String lint = new String(promtool.getInputStream().readAllBytes());
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lint).isEmpty();
        assertThat(promtool.exitValue()).isZero();

        exporter.destroy(); // SIGTERM
        assertThat(exporter.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(exporter.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
        String output = Files.readString(log);
        assertThat(output).contains("msg=\"crc-exporter started\"").contains("msg=\"shutting down\"")
                .doesNotContain("Exception", "demo-secret");
    }
}
