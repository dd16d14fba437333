package dev.crcexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.metrics.CrcMetrics;
import dev.crcexporter.metrics.ProcessJvmMetrics;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.testing.GzipMembers;
import dev.crcexporter.testing.SimulatedAccounts;
import dev.crcexporter.web.toolkit.ListenAddress;
import dev.crcexporter.web.toolkit.LiveWebConfig;
import dev.crcexporter.web.toolkit.WebConfig;
import io.javalin.Javalin;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The telemetry path over real HTTP, with the JVM families frozen and a clock of the test's, so that every answer can
 * be compared byte for byte with what client_java's own PrometheusScrapeHandler writes for the same registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one server for the comparisons; the other tests start their own
class ScrapeHandlerTest {
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final BuildInfo BUILD = new BuildInfo("1.2.3", "abc123def456", "17.0.15");
    private static final int ACCOUNTS = 150;
    private static final MetricSnapshots FROZEN_JVM = ProcessJvmMetrics.registry().scrape();
    static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3";
    static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
            + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Javalin> started = new ArrayList<>();
    private Server shared;
    /** The time the telemetry path reads, moved by the tests. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    /** Scrapes of the registry: each is one render. */
    private final AtomicInteger renders = new AtomicInteger();

    /** A server with the telemetry path on a random port, and what it was built from. */
    private record Server(Javalin app, PrometheusRegistry registry, ScrapeMemory memory, Answers answers) {}

    /** {@code budget}: what the telemetry path may hold of the heap. */
    private Server start(long budget, MultiCollector... more) {
        SnapshotStore store = SimulatedAccounts.store(ACCOUNTS, NOW, SHANGHAI);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(() -> {
            renders.incrementAndGet();
            return FROZEN_JVM;
        });
        CrcMetrics crc = new CrcMetrics(store, clock, SHANGHAI, BUILD, Optional.empty(), Optional.empty(), true)
                .register(registry);
        for (MultiCollector collector : more) {
            registry.register(collector);
        }
        ScrapeMemory memory = new ScrapeMemory(ScrapeMemory.held(ACCOUNTS) + budget, () -> ACCOUNTS);
        Answers answers = new Answers(registry, crc, memory, PrometheusProperties.get(), nanos::get);
        Javalin app = WebServer.create(new ListenAddress("127.0.0.1", 0), new LiveWebConfig(WebConfig.NONE), "/metrics",
                answers, store, new LandingPage(BUILD, "/metrics", clock, SHANGHAI, Optional.empty(), Optional.empty()),
                Optional.empty(), trigger -> CompletableFuture.completedFuture(
                        new ReloadTrigger.Outcome(false, "no reload here")));
        app.start();
        started.add(app);
        return new Server(app, registry, memory, answers);
    }

    @BeforeEach
    void resetCounts() {
        renders.set(0);
    }

    @AfterEach
    void stop() {
        started.stream().filter(app -> shared == null || app != shared.app()).forEach(Javalin::stop);
        started.removeIf(app -> shared == null || app != shared.app());
    }

    @AfterAll
    void stopShared() {
        started.forEach(Javalin::stop);
    }

    private HttpResponse<byte[]> send(Server server, String method, String query, String accept, boolean gzip)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.app().port()
                + "/metrics" + query)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20));
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** What client_java's own handler answers for the same registry and request: status, headers, body. */
    private record Handled(int status, Map<String, String> headers, byte[] body) {}

    private static Handled clientJavas(PrometheusRegistry registry, String query, String accept, boolean gzip)
            throws IOException {
        List<String> headers = new ArrayList<>();
        if (accept != null) {
            headers.addAll(List.of("Accept", accept));
        }
        if (gzip) {
            headers.addAll(List.of("Accept-Encoding", "gzip"));
        }
        PrometheusHttpRequest request = request(query.isEmpty() ? null : query.substring(1),
                headers.toArray(String[]::new));
        Map<String, String> answered = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = new int[1];
        new PrometheusScrapeHandler(PrometheusProperties.get(), registry).handleRequest(new PrometheusHttpExchange() {
            @Override
            public PrometheusHttpRequest getRequest() {
                return request;
            }

            @Override
            public PrometheusHttpResponse getResponse() {
                return new PrometheusHttpResponse() {
                    @Override
                    public void setHeader(String name, String value) {
                        answered.put(name, value);
                    }

                    @Override
                    public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
                        status[0] = statusCode;
                        return body;
                    }
                };
            }

            @Override
            public void handleException(IOException e) throws IOException {
                throw e;
            }

            @Override
            public void handleException(RuntimeException e) {
                throw e;
            }

            @Override
            public void close() {
                // nothing was opened
            }
        });
        return new Handled(status[0], answered, body.toByteArray());
    }

    static Stream<Arguments> requests() {
        List<Arguments> requests = new ArrayList<>();
        for (String query : List.of("", "?name[]=crc_up&name[]=jvm_threads_current&name[]=crc_ports_max_usage")) {
            for (boolean gzip : new boolean[] {false, true}) {
                for (String accept : new String[] {null, "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", OPENMETRICS,
                        PROTOBUF, "text/plain;version=1.0.0;escaping=dots", OPENMETRICS + ";escaping=values"}) {
                    requests.add(Arguments.of(query, accept, gzip));
                }
            }
        }
        for (String debug : List.of("text", "openmetrics", "prometheus-protobuf")) {
            requests.add(Arguments.of("?debug=" + debug, PROTOBUF, true));
            requests.add(Arguments.of("?debug=" + debug + "&name[]=crc_up", null, false));
        }
        return requests.stream();
    }

    @ParameterizedTest(name = "{0} Accept {1} gzip {2}")
    @MethodSource("requests")
    void everyAnswerIsWhatClientJavasScrapeHandlerWritesForTheSameRegistry(String query, String accept, boolean gzip)
            throws Exception {
        if (shared == null) {
            shared = start(64 << 20);
        }
        Server server = shared;
        Handled expected = clientJavas(server.registry(), query, accept, gzip);
        assertThat(expected.status()).isEqualTo(200);
        for (int scrape = 0; scrape < 2; scrape++) { // rendered, then (without name[] and debug) kept
            HttpResponse<byte[]> response = send(server, "GET", query, accept, gzip);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(expected.headers().get("Content-Type"));
            assertThat(response.headers().firstValue("Content-Encoding"))
                    .isEqualTo(Optional.ofNullable(expected.headers().get("Content-Encoding")));
            assertThat(response.headers().firstValue("Content-Length"))
                    .hasValue(Integer.toString(response.body().length));
            boolean gzipped = "gzip".equals(expected.headers().get("Content-Encoding"));
            byte[] body = gzipped ? GzipMembers.inflateAll(response.body()) : response.body();
            assertThat(body).isEqualTo(gzipped ? GzipMembers.inflateAll(expected.body()) : expected.body());
        }
    }

    @Test
    void headAnswersTheHeadersOfGet() throws Exception {
        Server server = start(64 << 20);
        for (String accept : new String[] {null, OPENMETRICS, PROTOBUF}) {
            for (boolean gzip : new boolean[] {false, true}) {
                HttpResponse<byte[]> head = send(server, "HEAD", "", accept, gzip);
                HttpResponse<byte[]> get = send(server, "GET", "", accept, gzip);

                assertThat(head.statusCode()).isEqualTo(200);
                assertThat(head.body()).isEmpty();
                for (String header : List.of("Content-Type", "Content-Encoding", "Content-Length")) {
                    assertThat(head.headers().firstValue(header)).as(header)
                            .isEqualTo(get.headers().firstValue(header));
                }
            }
        }
    }

    @Test
    void anUnknownDebugValueOrAnUnreadableQueryIsAClientError() throws Exception {
        Server server = start(64 << 20);
        HttpResponse<byte[]> unknown = send(server, "GET", "?debug=x", null, false);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8))
                .isEqualTo("debug must be one of openmetrics, text, prometheus-protobuf\n");

        String tooManyParameters = "?" + "a&".repeat(1100); // client_java reads at most 1024 parameters
        assertThat(clientJavas(server.registry(), tooManyParameters, null, false).status()).isEqualTo(400);
        HttpResponse<byte[]> unreadable = send(server, "GET", tooManyParameters, null, false);
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(new String(unreadable.body(), StandardCharsets.UTF_8)).isEqualTo("Invalid query parameters\n");
        assertThat(renders).as("nothing rendered for them").hasValue(0);
    }

    @Test
    void anAnswerIsKeptWhileTheSnapshotIsTheSameForAtMostASecond() throws Exception {
        Server server = start(64 << 20);
        byte[] first = send(server, "GET", "", null, false).body();
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(send(server, "GET", "", null, false).body()).isEqualTo(first);
        assertThat(renders).as("the second scrape served what the first rendered").hasValue(1);

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        send(server, "GET", "", null, false);
        assertThat(renders).as("one second old: rendered again").hasValue(2);

        send(server, "GET", "", OPENMETRICS, false);
        send(server, "GET", "?name[]=crc_up", null, false);
        send(server, "GET", "?name[]=crc_up", null, false);
        assertThat(renders).as("another variant, and two filtered scrapes (never kept)").hasValue(5);
    }

    /** A collector that says when a render has begun and holds it until {@code release}. */
    private static MultiCollector heldRender(CountDownLatch rendering, CountDownLatch release) {
        return () -> {
            rendering.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MetricSnapshots.of();
        };
    }

    @Test
    void concurrentScrapesOfOneVariantWaitForOneRender() throws Exception {
        CountDownLatch rendering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server server = start(64 << 20, heldRender(rendering, release));
        Answers.Held first = server.answers().answer(request(null, "Accept-Encoding", "gzip"));
        assertThat(rendering.await(20, TimeUnit.SECONDS)).isTrue();
        List<Answers.Held> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(server.answers().answer(request(null, "Accept-Encoding", "gzip, deflate", "User-Agent",
                    "client-" + i)));
        }
        assertThat(others).as("the render under way, not one of their own")
                .allSatisfy(held -> assertThat(held).isSameAs(first));
        Answers.Held plain = server.answers().answer(request(null));
        assertThat(plain).as("another variant").isNotSameAs(first);
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(server.answers().answer(request(null, "Accept-Encoding", "gzip")))
                .as("still under way, however long").isSameAs(first);

        release.countDown();
        assertThat(first.answer.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(plain.answer.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(renders).as("the gzip variant, then the plain one").hasValue(2);
    }

    @Test
    void aFailedRenderIsA500AndIsNotKept() throws Exception {
        AtomicInteger collected = new AtomicInteger();
        Server server = start(64 << 20, () -> {
            if (collected.incrementAndGet() == 1) {
                throw new IllegalStateException("a bug while collecting");
            }
            return MetricSnapshots.of();
        });
        HttpResponse<byte[]> failed = send(server, "GET", "", null, false);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(new String(failed.body(), StandardCharsets.UTF_8)).contains("a bug of crc-exporter")
                .doesNotContain("a bug while collecting");

        assertThat(send(server, "GET", "", null, false).statusCode()).as("rendered again").isEqualTo(200);
        assertThat(collected).hasValue(2);
        assertThat(server.memory().reserved()).as("what the kept answer holds, no more").isPositive()
                .isLessThan(1 << 20);
    }

    @Test
    void rendersWaitingForTheRenderThreadAreBounded() throws Exception {
        CountDownLatch rendering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server server = start(64 << 20, heldRender(rendering, release));
        Answers.Held first = server.answers().answer(request("name[]=crc_up"));
        assertThat(rendering.await(20, TimeUnit.SECONDS)).isTrue();
        List<Answers.Held> waiting = new ArrayList<>();
        for (int i = 0; i < Answers.MAX_WAITING; i++) {
            waiting.add(server.answers().answer(request("name[]=crc_up")));
        }
        Answers.Held refused = server.answers().answer(request("name[]=crc_up"));
        assertThat(refused.answer.getNow(null)).as("answered at once").isNotNull()
                .satisfies(answer -> assertThat(answer.status()).isEqualTo(503))
                .satisfies(answer -> assertThat(answer.headers()).containsEntry("Retry-After", "1"));
        assertThat(waiting).allSatisfy(held -> assertThat(held.answer).isNotDone());

        release.countDown();
        assertThat(first.answer.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        for (Answers.Held held : waiting) {
            assertThat(held.answer.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    /**
     * A GET of /metrics with {@code query} (or null) and {@code headers} (name, value, ...) as client_java reads
     * it.
     */
    private static PrometheusHttpRequest request(String query, String... headers) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            byName.put(headers[i], List.of(headers[i + 1]));
        }
        return new PrometheusHttpRequest() {
            @Override
            public String getQueryString() {
                return query;
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return Collections.enumeration(byName.getOrDefault(name, List.of()));
            }

            @Override
            public String getMethod() {
                return "GET";
            }

            @Override
            public String getRequestPath() {
                return "/metrics";
            }
        };
    }

    @Test
    void whatIsKeptStaysWithinTheBudgetWhateverHeadersClientsSend() throws Exception {
        // One render (up to 150 x 113 series at 230 bytes: 4 MB) and a kept answer (0.7 MB) at most
        long budget = 5 << 20;
        Server server = start(budget);
        byte[] text = clientJavas(server.registry(), "", null, false).body();
        for (int i = 0; i < 60; i++) {
            String accept = "text/plain;version=0.0.4;q=0." + (i % 10) + ",application/x-made-up-" + i;
            HttpResponse<byte[]> response = send(server, "GET", "", accept, i % 2 == 0);
            assertThat(response.statusCode()).as("scrape %d", i).isEqualTo(200);
            byte[] body = i % 2 == 0 ? GzipMembers.inflateAll(response.body()) : response.body();
            assertThat(body).as("scrape %d", i).isEqualTo(text);
            assertThat(server.memory().reserved()).isLessThanOrEqualTo(budget);
        }
    }

    @Test
    void anAnswerThatCannotFitTheBudgetIs503AndNothingIsHeld() throws Exception {
        Server server = start(5 << 20); // the debug text of every family would need 150 x 113 series at 460 bytes
        assertThat(send(server, "GET", "?name[]=crc_up", null, false).statusCode()).as("150 series").isEqualTo(200);

        HttpResponse<byte[]> refused = send(server, "GET", "?debug=prometheus-protobuf", null, false);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(new String(refused.body(), StandardCharsets.UTF_8))
                .contains("needs more memory than the exporter has for one");
        assertThat(server.memory().reserved()).isZero();
    }
}
