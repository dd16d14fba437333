package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.reload.ConfigReloader;
import dev.crcexporter.testing.Chromium;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.ExternalProcesses;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.web.toolkit.WebConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /-/reload} as browsers and tools send it: a page of another site cannot reload the exporter (by either
 * header, or a form's body), tools can; and a flood of reloads is coalesced off the web threads, so that scrapes are
 * answered while reloads wait.
 */
class ReloadRequestsIT {
    private final ExporterFixture fixture = new ExporterFixture();
    private final ExternalProcesses processes = new ExternalProcesses();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** How many times a reload read the configuration. */
    private final AtomicInteger loads = new AtomicInteger();
    private ExporterConfig config;

    @AfterEach
    void stop() throws Exception {
        try (fixture) {
            processes.close();
        }
    }

    private Exporter start(ConfigReloader.ConfigSource reloads) throws Exception {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k", "upstream-secret", List.of());
        config = new ExporterConfig(upstream.url(), RequestMethod.POST, ExporterConfig.DEFAULT_TIMEZONE,
                Duration.ofHours(1), Duration.ofSeconds(2), 2, new RetryConfig(1, Duration.ofSeconds(1),
                Duration.ofSeconds(1)), List.of(new AccountConfig("hq", "k", new Secret("upstream-secret"),
                OptionalInt.empty())), ZoomConfig.DEFAULT);
        return fixture.start(config, WebConfig.NONE, Optional.empty(), Clock.systemUTC(), reloads,
                () -> WebConfig.NONE);
    }

    private Exporter start() throws Exception {
        return start(() -> {
            loads.incrementAndGet();
            return config;
        });
    }

    /** {@code POST /-/reload} with {@code headers} (name, value, ...) and {@code body} (none when null). */
    private HttpRequest reload(Exporter exporter, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port()
                + "/-/reload")).timeout(Duration.ofSeconds(20)).POST(body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request.build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Origin         | https://evil.example        | Origin https://evil.example is not this exporter's own
            Origin         | http://localhost:{port}     | Origin http://localhost:{port} is not this exporter's own
            Origin         | https://127.0.0.1:{port}    | Origin https://127.0.0.1:{port} is not this exporter's own
            Origin         | http://127.0.0.1:1          | Origin http://127.0.0.1:1 is not this exporter's own
            Origin         | null                        | Origin null is not this exporter's own
            Sec-Fetch-Site | cross-site                  | Sec-Fetch-Site is cross-site
            Sec-Fetch-Site | same-site                   | Sec-Fetch-Site is same-site
            """)
    void aBrowserOnAnotherSiteIsRefusedAndNothingIsRead(String header, String value, String answer) throws Exception {
        Exporter exporter = start();
        String port = Integer.toString(exporter.port());
        try (LogCapture logs = new LogCapture()) {
            HttpResponse<String> refused = send(reload(exporter, null, header, value.replace("{port}", port)));

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).startsWith("Forbidden: " + answer.replace("{port}", port)).hasLineCount(1);
            assertThat(loads).as("configuration reads").hasValue(0);
            assertThat(logs.logfmtLines()).anyMatch(line -> line.contains("level=warn")
                    && line.contains("reload refused") && line.contains(answer.replace("{port}", port)));
        }
    }

    @Test
    void aFormBodyIsRefusedAndAnEmptyOneIsNot() throws Exception {
        Exporter exporter = start();

        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "text/plain;charset=UTF-8")) {
            HttpResponse<String> refused = send(reload(exporter, "x=1", "Content-Type", type));
            assertThat(refused.statusCode()).as(type).isEqualTo(403);
            assertThat(refused.body()).as(type).contains("which any web page can send");
        }
        assertThat(loads).hasValue(0);
        // curl -d '' http://HOST:9877/-/reload: a form's type, no body
        assertThat(send(reload(exporter, "", "Content-Type", "application/x-www-form-urlencoded")).statusCode())
                .isEqualTo(200);
        assertThat(loads).hasValue(1);
    }

    @Test
    void toolsAndTheExportersOwnPagesReload() throws Exception {
        Exporter exporter = start();
        String own = "http://127.0.0.1:" + exporter.port();

        HttpResponse<String> curl = send(reload(exporter, null));
        HttpResponse<String> ownPage = send(reload(exporter, null, "Origin", own, "Sec-Fetch-Site", "same-origin"));
        HttpResponse<String> typed = send(reload(exporter, null, "Sec-Fetch-Site", "none"));
        HttpResponse<String> json = send(reload(exporter, "{}", "Content-Type", "application/json"));

        assertThat(List.of(curl, ownPage, typed, json)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("configuration reloaded: 1 account(s); nothing changed\n");
        });
        assertThat(loads).hasValue(4);
    }

    @Test
    void aPageOfAnotherSiteInChromiumReloadsNothing(@TempDir Path home) throws Exception {
        Exporter exporter = start();
        String target = "http://127.0.0.1:" + exporter.port() + "/-/reload";
        // The attack of issue 21: fetch in no-cors mode, without a body and with a text/plain one, and a hidden form
        // posted into a frame, from a page on another origin (localhost, another port).
        String page = """
                <!doctype html><html><body><iframe name="sink"></iframe>
                <form id="f" method="POST" action="%1$s" target="sink"><input name="x" value="1"></form>
                <script>
                fetch("%1$s", {method: "POST", mode: "no-cors"});
                fetch("%1$s", {method: "POST", mode: "no-cors", body: "x", headers: {"Content-Type": "text/plain"}});
                document.getElementById("f").submit();
                </script></body></html>
                """.formatted(target);
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attacker.createContext("/", exchange -> {
            byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        attacker.start();
        fixture.closeLater(() -> attacker.stop(0));

        try (LogCapture logs = new LogCapture()) {
            new Chromium(processes, home).run("--virtual-time-budget=5000", "--dump-dom",
                    "http://localhost:" + attacker.getAddress().getPort() + "/");

            Poll.until(Duration.ofSeconds(10), "three refusals in the log", () -> logs.logfmtLines().stream()
                    .filter(line -> line.contains("reload refused")).count() >= 3);
        }
        assertThat(loads).as("configuration reads").hasValue(0);
    }

    @Test
    void aReloadThatOutlastsTheWaitIsAnswered503AndGoesOn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        fixture.closeLater(release::countDown);
        Exporter exporter = start(() -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loads.incrementAndGet();
            return config;
        });

        HttpResponse<String> waited = send(reload(exporter, null)); // about 5 s: the bound of the wait

        assertThat(waited.statusCode()).isEqualTo(503);
        assertThat(waited.body()).isEqualTo("the reload is still running after 5s and goes on: its outcome will be in"
                + " the log and in crc_exporter_config_last_reload_successful\n");
        release.countDown();
        Poll.until(Duration.ofSeconds(10), "the reload applied", () -> loads.get() == 1);
    }

    @Test
    void reloadsWhileOneRunsAreCoalescedAndScrapesAreAnsweredMeanwhile() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fixture.closeLater(release::countDown);
        Exporter exporter = start(() -> {
            loads.incrementAndGet();
            firstStarted.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return config;
        });
        LogCapture logs = fixture.closeLater(new LogCapture());
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(reload(exporter, null),
                HttpResponse.BodyHandlers.ofString());
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).as("the first reload runs").isTrue();

        // Far more than the web threads (8): had each request a thread of its own, none would be left to scrape.
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            waiting.add(http.sendAsync(reload(exporter, null), HttpResponse.BodyHandlers.ofString()));
        }
        Poll.until(Duration.ofSeconds(20), "49 reloads asked for", () -> logs.logfmtLines().stream()
                .filter(line -> line.contains("reload asked for")).count() == 49);
        HttpResponse<String> scrape = fixture.get(exporter, "/metrics", "Accept-Encoding", "gzip");
        HttpResponse<String> ready = fixture.get(exporter, "/-/ready");
        boolean answeredMeanwhile = waiting.stream().anyMatch(CompletableFuture::isDone) || first.isDone();
        release.countDown();

        assertThat(scrape.statusCode()).as("a scrape while 49 reloads wait").isEqualTo(200);
        assertThat(ready.statusCode()).isIn(200, 503);
        assertThat(answeredMeanwhile).as("no reload answered before the first one ended").isFalse();
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        for (CompletableFuture<HttpResponse<String>> response : waiting) {
            assertThat(response.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(loads).as("the one running, and one for all that came meanwhile").hasValue(2);
    }
}
