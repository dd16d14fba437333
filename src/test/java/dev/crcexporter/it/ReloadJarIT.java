package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.Http;
import dev.crcexporter.testing.JarExporter;
import dev.crcexporter.testing.Poll;
import java.io.IOException;
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
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The packaged jar under deploy/jvm.options, reloaded the way operators do it: {@code kill -HUP} (systemd's
 * ExecReload) and {@code POST /-/reload} (Kubernetes' config reloader). SIGHUP used to end the JVM with status 129.
 */
class ReloadJarIT {
    private static final String OLD_PASSWORD = "old-Pa55word";
    private static final String NEW_PASSWORD = "new-Pa55word";

    @TempDir
    Path tmp;

    private final ExternalProcesses processes = new ExternalProcesses();
    private final ExporterFixture fixture = new ExporterFixture();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws Exception {
        try (fixture) {
            processes.close();
        }
    }

    private static String users(String password) {
        return "basic_auth_users:\n  prometheus: \""
                + BCrypt.hashpw(password, BCrypt.gensalt(4)).replace("$2a$", "$2y$") + "\"\n";
    }

    private HttpResponse<String> send(int port, String method, String path, String authorization) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", authorization)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void hangUp(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** The port {@code exporter} listens on, once its start line names it. */
    private static int portOf(Process exporter, Path log) {
        return Poll.until(Duration.ofSeconds(30), Duration.ofMillis(100), "the port in the log", () -> {
            ExternalProcesses.assertAlive(exporter);
            return JarExporter.portInLog(log);
        }, p -> p > 0, () -> "\n--- log ---\n" + ExternalProcesses.tail(log, 30));
    }

    @Test
    void sighupAndPostReloadTheJarUnderItsJvmOptionsAndABadFileKeepsItRunning() throws Exception {
        assertThat(JarExporter.JAR).as("run `mvn package` first").exists();
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k1", "secret-one", List.of())
                .account("k2", "secret-two", List.of());
        Path config = Files.writeString(tmp.resolve("crc.yml"), """
                api_url: %s
                poll_interval: 1h
                accounts:
                  - {name: hq, api_key: k1, api_secret: secret-one}
                """.formatted(upstream.url()));
        Path web = Files.writeString(tmp.resolve("web.yml"), users(OLD_PASSWORD));
        Path log = tmp.resolve("exporter.log");
        // SIGHUP in its default disposition, as systemd, Docker and Kubernetes start it: a test run under nohup
        // would otherwise hand down "ignored", which the JVM keeps (ReloadSignal warns about it).
        Process exporter = processes.start(log, "env", "--default-signal=HUP", "java", "@" + JarExporter.JVM_OPTIONS,
                "-jar", JarExporter.JAR.toString(),
                "--config.file=" + config, "--web.config.file=" + web, "--web.listen-address=127.0.0.1:0");
        int port = portOf(exporter, log);
        String oldUser = Http.basic("prometheus", OLD_PASSWORD);
        String newUser = Http.basic("prometheus", NEW_PASSWORD);

        Poll.until(Duration.ofSeconds(30), "hq's first poll", () -> upstream.requestsFor("k1") == 1);
        // The poll has ended (not only reached the upstream): a reload then has no round to wait for.
        Poll.until(Duration.ofSeconds(30), Duration.ofMillis(100), "hq up", () -> ExporterFixture.value(
                send(port, "GET", "/metrics", oldUser).body(), "crc_up{account=\"hq\"}").orElse(-1),
                v -> v == 1.0, () -> "");

        // SIGHUP: the new users and the new account are in force, the process lives on.
        Files.writeString(web, users(NEW_PASSWORD));
        Files.writeString(config,
                "api_url: %s\npoll_interval: 1h\naccounts:\n  - {name: hq, api_key: k1, api_secret: secret-one}\n"
                        .formatted(upstream.url()) + "  - {name: emea, api_key: k2, api_secret: secret-two}\n");
        hangUp(exporter);
        Poll.until(Duration.ofSeconds(20), Duration.ofMillis(100), "the new user accepted after SIGHUP", () -> {
            ExternalProcesses.assertAlive(exporter);
            return send(port, "GET", "/metrics", newUser).statusCode();
        }, status -> status == 200, () -> "\n--- log ---\n" + ExternalProcesses.tail(log, 30));
        assertThat(send(port, "GET", "/metrics", oldUser).statusCode()).isEqualTo(401);
        assertThat(Files.readString(log)).contains("msg=\"configuration reloaded\" trigger=SIGHUP",
                "changes=\"2 account(s); added: emea\"");
        Poll.until(Duration.ofSeconds(20), Duration.ofMillis(100), "emea polled at once and shown", () ->
                ExporterFixture.value(send(port, "GET", "/metrics", newUser).body(), "crc_up{account=\"emea\"}")
                        .orElse(-1),
                up -> up == 1.0, () -> "\n--- log ---\n" + ExternalProcesses.tail(log, 30));

        // A broken configuration file: SIGHUP keeps the running configuration and the process.
        Files.writeString(config,
                "api_url: %s\naccounts:\n  - {name: hq, api_key: k1, api_secret: secret-one, capacity: -5}\n"
                        .formatted(upstream.url()));
        hangUp(exporter);
        Poll.until(Duration.ofSeconds(20), Duration.ofMillis(100), "the failed reload in the gauge", () -> {
            ExternalProcesses.assertAlive(exporter);
            return ExporterFixture.value(send(port, "GET", "/metrics", newUser).body(),
                    "crc_exporter_config_last_reload_successful").orElse(-1);
        }, value -> value == 0.0, () -> "\n--- log ---\n" + ExternalProcesses.tail(log, 30));
        assertThat(Files.readString(log))
                .contains("msg=\"reload failed: the running configuration stays\" trigger=SIGHUP",
                        "accounts[hq].capacity must be > 0 (got -5)");

        // POST /-/reload once the file is right again (emea removed, hq kept: not polled again).
        Files.writeString(config,
                "api_url: %s\npoll_interval: 1h\naccounts:\n  - {name: hq, api_key: k1, api_secret: secret-one}\n"
                        .formatted(upstream.url()));
        HttpResponse<String> reloaded = send(port, "POST", "/-/reload", newUser);
        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        assertThat(reloaded.body()).isEqualTo("configuration reloaded: 1 account(s); removed: emea\n");
        String scraped = send(port, "GET", "/metrics", newUser).body();
        assertThat(ExporterFixture.value(scraped, "crc_exporter_config_last_reload_successful")).hasValue(1.0);
        assertThat(scraped).contains("crc_up{account=\"hq\"} 1").doesNotContain("account=\"emea\"");
        assertThat(List.of(upstream.requestsFor("k1"), upstream.requestsFor("k2"))).containsExactly(1L, 1L);

        exporter.destroy(); // SIGTERM: the exit status is what it always was, whatever the reloads did
        assertThat(exporter.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(exporter.exitValue()).isEqualTo(143);
        assertThat(Files.readString(log)).doesNotContain("secret-one", OLD_PASSWORD, NEW_PASSWORD, "Exception");
    }

    @Test
    void anInheritedIgnoredSighupIsWarnedAboutAndPostReloadStillWorks() throws Exception {
        // As under nohup: the JVM keeps SIGHUP ignored and never calls a handler for it.
        Path log = tmp.resolve("ignored.log");
        Process exporter = processes.start(log, "env", "--ignore-signal=HUP", "java", "@" + JarExporter.JVM_OPTIONS,
                "-jar", JarExporter.JAR.toString(), "--demo", "--web.listen-address=127.0.0.1:0");
        int port = portOf(exporter, log);

        assertThat(Files.readString(log)).contains("SIGHUP is ignored by the process that started crc-exporter",
                "reload with POST /-/reload");
        HttpResponse<String> reloaded = send(port, "POST", "/-/reload", "Basic eA==");
        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        hangUp(exporter);
        assertThat(exporter.isAlive()).as("SIGHUP ignored, not fatal").isTrue();
    }
}
