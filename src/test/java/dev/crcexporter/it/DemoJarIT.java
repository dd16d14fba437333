package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.Http;
import dev.crcexporter.testing.JarExporter;
import dev.crcexporter.testing.Poll;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, for real: the packaged jar with {@code --demo}, scraped over HTTP,
 * checked by promtool, stopped with SIGTERM.
 */
class DemoJarIT {
    private static final Path JAR = Path.of("target/crc-exporter.jar");
    private static final List<String> CONTRACT = List.of(
            "crc_ports_max_usage{", "crc_ports_total_usage{", "crc_ports_current_max_usage{",
            "crc_ports_daily_max_usage{",
            "crc_ports_capacity{", "crc_up{", "crc_exporter_last_success_timestamp_seconds{",
            "crc_exporter_poll_duration_seconds{", "crc_exporter_poll_errors_total{", "crc_account_info{",
            "crc_exporter_build_info{",
            "jvm_memory_used_bytes{", "process_resident_memory_bytes ");

    @TempDir
    Path tmp;

    private final ExternalProcesses processes = new ExternalProcesses();

    @AfterEach
    void stop() {
        processes.close();
    }

    @Test
    void demoServesTheWholeContractPassesPromtoolAndStopsCleanlyOnSigterm() throws Exception {
        assertThat(JAR).as("run `mvn package` first").exists();
        Path log = tmp.resolve("crc-demo.log");
        Process exporter = processes.start(log, "java", "-jar", JAR.toString(), "--demo",
                "--web.listen-address=127.0.0.1:0");

        int port = Poll.until(Duration.ofSeconds(30), Duration.ofMillis(100), "the demo's port in its log", () -> {
            ExternalProcesses.assertAlive(exporter);
            return JarExporter.portInLog(log);
        }, p -> p > 0, () -> "\n--- log ---\n" + ExternalProcesses.tail(log, 30));
        String base = "http://127.0.0.1:" + port;
        Poll.until(Duration.ofSeconds(30), Duration.ofMillis(100), "demo ready", () -> {
            ExternalProcesses.assertAlive(exporter);
            return Http.ok(base + "/-/ready");
        }, ready -> ready, () -> "\n--- log ---\n" + ExternalProcesses.tail(log, 30));
        HttpResponse<String> scrape = Http.getOrNull(base + "/metrics");
        assertThat(scrape).as("GET /metrics").isNotNull();
        String metrics = scrape.body();

        for (String series : CONTRACT) {
            assertThat(metrics).as("a sample of %s", series).contains("\n" + series);
        }
        assertThat(metrics).contains("crc_up{account=\"headquarters\"} 1.0",
                // one account through the simulated Zoom: token endpoint and metrics endpoint
                "crc_up{account=\"emea-office\"} 1.0", "crc_account_info{account=\"emea-office\",source=\"zoom\"} 1",
                "crc_account_info{account=\"headquarters\",source=\"systec\"} 1");

        ExternalProcesses.Result lint = processes.runWithInput(Duration.ofSeconds(30), metrics,
                "promtool", "check", "metrics");
        assertThat(lint.output()).isEmpty();
        assertThat(lint.exitCode()).isZero();

        exporter.destroy(); // SIGTERM
        assertThat(exporter.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(exporter.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
        String output = Files.readString(log);
        assertThat(output).contains("msg=\"crc-exporter started\"").contains("msg=\"shutting down\"")
                .doesNotContain("Exception", "demo-secret");
    }

    /** A taken port: exit status 1 and the one line that says so, without the web framework's own line before it. */
    @Test
    void anAddressInUseIsOneLineAndExitStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();

            ExternalProcesses.Result result = processes.run(Duration.ofSeconds(60), "java", "-jar", JAR.toString(),
                    "--demo", "--web.listen-address=" + address);

            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(result.output()).isEqualTo("crc-exporter: error: cannot listen on " + address
                    + ": address already in use\n");
        }
    }

    /** The jar's report writes only the report on standard output: log lines (a Zoom token's, say) go to stderr. */
    @Test
    void reportOfTheDemoWritesOnlyCsvOnStandardOutputWithBothSources() throws Exception {
        assertThat(JAR).as("run `mvn package` first").exists();
        ExternalProcesses.Result report = processes.run(Duration.ofSeconds(60), new ProcessBuilder("java", "-jar",
                JAR.toString(), "report", "--demo", "--format=csv"));

        assertThat(report.exitCode()).as(report.errors()).isZero();
        List<String> lines = report.output().lines().toList();
        assertThat(lines.get(0)).startsWith("account,status,");
        assertThat(lines).hasSize(5).allMatch(l -> !l.contains("DEBUG") && !l.contains("level="));
        assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(',')))).containsExactly("account", "headquarters",
                "shanghai-branch", "training-center", "emea-office");
        assertThat(report.errors()).contains("report: account emea-office (4/4) chunk 1/4")
                .doesNotContain("demo-secret");
    }
}
