package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.upstream.DailyUsage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exporter over real loopback HTTP, against a fake upstream that behaves like the documented API. */
class ExporterIT {
    /** 10:30 in Shanghai on 2026-11-26. */
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String HQ_SECRET = "hq-S3cret-value";
    /** Characters that form and URL encoding change: the upstream must receive them as they are. */
    private static final String BRANCH_SECRET = "br anch&secret=1/+";

    private final ExporterFixture fixture = new ExporterFixture();
    private FakeCrcApi upstream;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = fixture.closeLater(new FakeCrcApi())
                .account("key-hq", HQ_SECRET, List.of(day("2026-11-27", 5), day("2026-11-26", 30),
                        day("2026-11-24", 99), day("2026-11-25", 20)))
                .account("key-branch", BRANCH_SECRET, List.of(day("2026-11-25", 3), day("2026-11-26", 4)));
    }

    @AfterEach
    void stopEverything() throws Exception {
        fixture.close();
    }

    /** A full day of 24 hours (whatever the clock), peaking at {@code peak} at 10:00, hours in shuffled order. */
    private static DailyUsage day(String date, int peak) {
        return Days.shuffled(Days.peakingAtTen(date, peak), peak);
    }

    private ExporterConfig config(RequestMethod method, Duration pollInterval, int maxAttempts) {
        return config(method, pollInterval, maxAttempts, Duration.ofSeconds(5));
    }

    private ExporterConfig config(RequestMethod method, Duration pollInterval, int maxAttempts, Duration timeout) {
        return new ExporterConfig(upstream.url(), method, ZoneId.of("Asia/Shanghai"), pollInterval, timeout, 4,
                new RetryConfig(maxAttempts, Duration.ofMillis(100), Duration.ofMillis(200)),
                List.of(new AccountConfig("hq", "key-hq", new Secret(HQ_SECRET), OptionalInt.of(40)),
                        new AccountConfig("branch", "key-branch", new Secret(BRANCH_SECRET), OptionalInt.empty())),
                ZoomConfig.DEFAULT);
    }

    private Exporter start(ExporterConfig config) {
        return fixture.start(config, CLOCK);
    }

    private Exporter startAndAwaitReady(ExporterConfig config) {
        Exporter exporter = start(config);
        fixture.awaitReady(exporter, Duration.ofSeconds(15));
        return exporter;
    }

    private HttpResponse<String> get(Exporter exporter, String path, String... headers) {
        return fixture.get(exporter, path, headers);
    }

    private <T> HttpResponse<T> send(Exporter exporter, String path, HttpResponse.BodyHandler<T> handler,
                                     String... headers) {
        return fixture.send(exporter, path, handler, headers);
    }

    @Test
    void servesYesterdayAndTodayOfTheAnswerAndNothingElse() {
        Exporter exporter = startAndAwaitReady(config(RequestMethod.POST, Duration.ofHours(1), 1));

        String metrics = get(exporter, "/metrics").body();

        assertThat(metrics)
                .contains("crc_ports_max_usage{account=\"hq\",date=\"2026-11-25\",hour=\"10\"} 20.0")
                .contains("crc_ports_max_usage{account=\"hq\",date=\"2026-11-25\",hour=\"23\"} 0.0")
                .contains("crc_ports_max_usage{account=\"hq\",date=\"2026-11-26\",hour=\"10\"} 30.0")
                .contains("crc_ports_total_usage{account=\"hq\",date=\"2026-11-26\",hour=\"09\"} 55.0")
                .contains("crc_ports_current_max_usage{account=\"hq\"} 30.0")
                .contains("crc_ports_daily_max_usage{account=\"hq\",date=\"2026-11-25\"} 20.0")
                .contains("crc_ports_daily_max_usage{account=\"branch\",date=\"2026-11-26\"} 4.0")
                .contains("crc_ports_capacity{account=\"hq\"} 40.0")
                .contains("crc_up{account=\"hq\"} 1.0", "crc_up{account=\"branch\"} 1.0")
                .contains("crc_exporter_last_success_timestamp_seconds{account=\"hq\"} "
                        + (double) NOW.getEpochSecond())
                .contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"timeout\"} 0.0")
                .contains("crc_exporter_build_info{", "jvm_memory_used_bytes{", "process_cpu_seconds_total")
                .doesNotContain("2026-11-24", "2026-11-27", "crc_ports_capacity{account=\"branch\"}")
                // 10:30 in Shanghai: hours 11..23 of today have not begun
                .doesNotContain("date=\"2026-11-26\",hour=\"11\"");
        long todaysHours = metrics.lines()
                .filter(l -> l.startsWith("crc_ports_max_usage{account=\"hq\",date=\"2026-11-26\"")).count();
        assertThat(todaysHours).isEqualTo(11);
    }

    @Test
    void asksForYesterdayToTomorrowWithOneFormPostPerAccount() {
        startAndAwaitReady(config(RequestMethod.POST, Duration.ofHours(1), 1));

        assertThat(upstream.requests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
            assertThat(request.rawQuery()).isNull();
            assertThat(request.params()).containsEntry("from", "2026-11-25").containsEntry("to", "2026-11-27");
        });
        assertThat(upstream.requests()).extracting(r -> r.params().get("api_secret"))
                .containsExactlyInAnyOrder(HQ_SECRET, BRANCH_SECRET);
    }

    @Test
    void getMethodSendsTheSameParametersInTheQuery() {
        startAndAwaitReady(config(RequestMethod.GET, Duration.ofHours(1), 1));

        assertThat(upstream.requests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.params()).containsKeys("api_key", "api_secret").containsEntry("from", "2026-11-25")
                    .containsEntry("to", "2026-11-27");
        });
    }

    @Test
    void manyParallelScrapesCauseNoUpstreamCalls() throws Exception {
        Exporter exporter = startAndAwaitReady(config(RequestMethod.POST, Duration.ofHours(1), 1));
        int callsAfterFirstPoll = upstream.requests().size();

        ExecutorService scrapers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> scrapes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                scrapes.add(scrapers.submit(() -> get(exporter, "/metrics").statusCode()));
            }
            for (Future<Integer> scrape : scrapes) {
                assertThat(scrape.get()).isEqualTo(200);
            }
        } finally {
            scrapers.shutdownNow();
        }

        assertThat(callsAfterFirstPoll).isEqualTo(2);
        assertThat(upstream.requests()).hasSize(2);
        assertThat(upstream.requestsFor("key-hq")).isEqualTo(1);
    }

    @Test
    void eachPollIntervalCallsTheApiOncePerAccount() {
        startAndAwaitReady(config(RequestMethod.POST, Duration.ofMillis(700), 1));

        Poll.until(Duration.ofSeconds(10), "three polls of hq", () -> upstream.requestsFor("key-hq") >= 3);

        long hq = upstream.requestsFor("key-hq");
        long branch = upstream.requestsFor("key-branch");
        assertThat(Math.abs(hq - branch)).isLessThanOrEqualTo(1);
    }

    @Test
    void negotiatesOpenMetricsProtobufGzipAndNameFilter() throws IOException {
        Exporter exporter = startAndAwaitReady(config(RequestMethod.POST, Duration.ofHours(1), 1));

        HttpResponse<String> text = get(exporter, "/metrics");
        assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");

        HttpResponse<String> openMetrics = get(exporter, "/metrics", "Accept",
                "application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/openmetrics-text");
        assertThat(openMetrics.body()).contains("# TYPE crc_exporter_build info").endsWith("# EOF\n");

        HttpResponse<byte[]> protobuf = send(exporter, "/metrics", HttpResponse.BodyHandlers.ofByteArray(), "Accept",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
        assertThat(protobuf.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/vnd.google.protobuf");
        assertThat(new String(protobuf.body(), StandardCharsets.ISO_8859_1)).contains("crc_ports_max_usage");

        HttpResponse<byte[]> gzip = send(exporter, "/metrics", HttpResponse.BodyHandlers.ofByteArray(),
                "Accept-Encoding", "gzip");
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("crc_up{account=\"hq\"} 1.0");
        }

        String filtered = get(exporter, "/metrics?name[]=crc_up&name[]=crc_ports_capacity").body();
        assertThat(filtered.lines().filter(l -> !l.startsWith("#")))
                .containsExactly("crc_ports_capacity{account=\"hq\"} 40.0", "crc_up{account=\"branch\"} 1.0",
                        "crc_up{account=\"hq\"} 1.0");
    }

    @Test
    void readyOnlyOnceEveryAccountFinishedItsFirstPoll() throws Exception {
        // branch's answer waits until the test has seen the exporter not ready
        CountDownLatch branchMayAnswer = new CountDownLatch(1);
        fixture.closeLater(branchMayAnswer::countDown);
        upstream.behave(request -> {
            if ("key-branch".equals(request.params().get("api_key"))) {
                try {
                    branchMayAnswer.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the fake is closing
                }
            }
            return upstream.documentedAnswer(request);
        });
        // a timeout long enough that branch's first poll ends with the answer, not before
        Exporter exporter = start(config(RequestMethod.POST, Duration.ofHours(1), 1, Duration.ofSeconds(30)));

        Poll.until(Duration.ofSeconds(15), "hq polled", () -> fixture.account(exporter, "hq").polled());
        HttpResponse<String> notReady = get(exporter, "/-/ready");
        assertThat(fixture.account(exporter, "branch").polled()).as("branch still waits for its answer").isFalse();
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("1 of 2 accounts");
        assertThat(head(exporter, "/-/ready").statusCode()).as("HEAD, as GET").isEqualTo(503);
        assertThat(get(exporter, "/-/healthy").statusCode()).isEqualTo(200);

        branchMayAnswer.countDown();
        fixture.awaitReady(exporter, Duration.ofSeconds(15));
        assertThat(fixture.account(exporter, "branch").up()).isTrue();
    }

    @Test
    void failedPollsKeepTheLastGoodDataAndDropUp() {
        Exporter exporter = startAndAwaitReady(config(RequestMethod.POST, Duration.ofMillis(500), 1));
        String before = get(exporter, "/metrics").body();
        String lastSuccessLine = before.lines()
                .filter(l -> l.startsWith("crc_exporter_last_success_timestamp_seconds{account=\"hq\"}"))
                .findFirst().orElseThrow();

        upstream.behave(request -> new Response(503, Map.of(), "maintenance", Duration.ZERO));
        Poll.until(Duration.ofSeconds(10), "hq marked down", () -> !fixture.account(exporter, "hq").up());

        String after = get(exporter, "/metrics").body();
        assertThat(after).contains("crc_up{account=\"hq\"} 0.0")
                .contains("crc_ports_max_usage{account=\"hq\",date=\"2026-11-26\",hour=\"10\"} 30.0")
                .contains(lastSuccessLine)
                .containsPattern("crc_exporter_poll_errors_total\\{account=\"hq\",reason=\"http_status\"} [1-9]");
        assertThat(get(exporter, "/").body()).contains("failing").contains("http_status: HTTP 503: maintenance");
    }

    private static HttpResponse<byte[]> head(Exporter exporter, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port()
                + path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void headOfTheLandingPageAnswersTheHeadersOfItsGet() throws Exception {
        Exporter exporter = startAndAwaitReady(config(RequestMethod.POST, Duration.ofHours(1), 1));

        HttpResponse<byte[]> head = head(exporter, "/");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type.replace(" ", "")).isEqualTo("text/html;charset=utf-8"))
                .isEqualTo(get(exporter, "/").headers().firstValue("Content-Type"));
        assertThat(head.body()).isEmpty();
        assertThat(head(exporter, "/?page=99").statusCode()).as("a page that does not exist, as GET").isEqualTo(400);
    }

    @Test
    void apiErrorMessagesAreEscapedOnTheLandingPage() {
        upstream.behave(request -> Response.json(ApiAnswers.error(500, "<script>alert(1)</script>")));
        Exporter exporter = startAndAwaitReady(config(RequestMethod.POST, Duration.ofHours(1), 1));

        String page = get(exporter, "/").body();

        assertThat(page).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("api_status: API status 500");
        assertThat(get(exporter, "/metrics").body()).contains("crc_up{account=\"hq\"} 0.0")
                .contains("crc_exporter_poll_errors_total{account=\"hq\",reason=\"api_status\"} 1.0");
    }
}
