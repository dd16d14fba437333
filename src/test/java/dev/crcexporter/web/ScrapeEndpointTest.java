package dev.crcexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.cli.BuildInfo;
import dev.crcexporter.metrics.CrcMetrics;
import dev.crcexporter.metrics.ProcessJvmMetrics;
import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.testing.GzipMembers;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.SimulatedAccounts;
import dev.crcexporter.web.toolkit.ListenAddress;
import dev.crcexporter.web.toolkit.LiveWebConfig;
import dev.crcexporter.web.toolkit.WebConfig;
import io.javalin.Javalin;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The telemetry path over real HTTP, with the JVM part frozen so that answers can be compared byte for byte with
 * what client_java's writers produce for the same registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScrapeEndpointTest {
    private static final Instant NOW = Instant.parse("2026-11-26T02:30:00Z");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final BuildInfo BUILD = new BuildInfo("1.2.3", "abc123def456", "17.0.15");
    private static final int ACCOUNTS = 150; // more than one slice of accounts per family
    static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
            + "text/plain;version=0.0.4;q=0.3";
    static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final HttpClient http = HttpClient.newHttpClient();
    /** One server per kind of test: the variant tests share theirs, the others start their own. */
    private final Map<String, Server> servers = new HashMap<>();

    /** A server with the telemetry path on a random port. */
    private record Server(Javalin app, PartCache crcParts, PrometheusRegistry registry) {}

    private Server server(long crcBudgetBytes, long maxFilteredSeries) {
        return server(ACCOUNTS, crcBudgetBytes, maxFilteredSeries);
    }

    private Server server(int accounts, long crcBudgetBytes, long maxFilteredSeries) {
        return servers.computeIfAbsent(accounts + "/" + crcBudgetBytes + "/" + maxFilteredSeries,
                key -> start(accounts, crcBudgetBytes, maxFilteredSeries));
    }

    private static Server start(int accounts, long crcBudgetBytes, long maxFilteredSeries) {
        SnapshotStore store = SimulatedAccounts.store(accounts, NOW, SHANGHAI);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        CrcMetrics crc = new CrcMetrics(store, clock, SHANGHAI, BUILD, Optional.empty(), Optional.empty());
        MetricSnapshots frozen = ProcessJvmMetrics.registry().scrape();
        MultiCollector jvm = () -> frozen;
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(jvm);
        crc.register(registry);
        PrometheusProperties properties = PrometheusProperties.get();
        FilteredScrape filtered = new FilteredScrape(new PrometheusScrapeHandler(properties, registry), crc, maxFilteredSeries);
        PartCache crcParts = new PartCache(crcBudgetBytes);
        ScrapeEndpoint endpoint = new ScrapeEndpoint(crc, jvm, filtered, properties, crcParts);
        Javalin app = WebServer.create(new ListenAddress("127.0.0.1", 0), new LiveWebConfig(WebConfig.NONE), "/metrics", endpoint, store,
                new LandingPage(BUILD, "/metrics", clock, SHANGHAI, Optional.empty(), Optional.empty()),
                Optional.empty(), trigger -> CompletableFuture.completedFuture(
                        new ReloadTrigger.Outcome(false, "no reload here")));
        app.start();
        return new Server(app, crcParts, registry);
    }

    @AfterAll
    void stop() {
        servers.values().forEach(server -> server.app().stop());
    }

    private HttpResponse<byte[]> send(Server server, String method, String query, String accept, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.app().port() + "/metrics" + query))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20));
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private byte[] clientJavas(ExpositionFormatWriter writer, MetricSnapshots families) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, families, EscapingScheme.DEFAULT);
        return out.toByteArray();
    }

    static Stream<Arguments> variants() {
        List<Arguments> variants = new ArrayList<>();
        for (boolean kept : new boolean[] {true, false}) {
            for (boolean gzip : new boolean[] {false, true}) {
                variants.add(Arguments.of(kept, gzip, null, PrometheusTextFormatWriter.create()));
                variants.add(Arguments.of(kept, gzip, "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", PrometheusTextFormatWriter.create()));
                variants.add(Arguments.of(kept, gzip, OPENMETRICS, OpenMetricsTextFormatWriter.create()));
                variants.add(Arguments.of(kept, gzip, PROTOBUF, new PrometheusProtobufWriter()));
            }
        }
        return variants.stream();
    }

    @ParameterizedTest(name = "kept {0}, gzip {1}, Accept {2}")
    @MethodSource("variants")
    void theJoinedAnswerIsClientJavasByteForByte(boolean kept, boolean gzip, String accept, ExpositionFormatWriter writer)
            throws Exception {
        Server server = server(kept ? 32 << 20 : 0, 100_000);
        for (int scrape = 0; scrape < 2; scrape++) { // rendered (or found rendered by an earlier case), then served again
            HttpResponse<byte[]> response = send(server, "GET", "", accept, gzip);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(writer.getContentType());
            assertThat(response.headers().firstValue("Content-Length")).as("a kept answer has a length, a streamed one not")
                    .isEqualTo(kept ? java.util.Optional.of(Integer.toString(response.body().length)) : java.util.Optional.empty());
            byte[] body = response.body();
            if (gzip) {
                assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
                assertThat(GzipMembers.inflate(body)).as("one gzip member per part: CRC, then JVM").hasSize(2);
                body = GzipMembers.inflateAll(body);
            } else {
                assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
            }
            assertThat(body).isEqualTo(clientJavas(writer, server.registry().scrape()));
        }
    }

    @ParameterizedTest(name = "kept {0}, gzip {1}, Accept {2}")
    @MethodSource("variants")
    void headAnswersTheHeadersOfGet(boolean kept, boolean gzip, String accept, ExpositionFormatWriter writer) throws Exception {
        Server server = server(kept ? 32 << 20 : 0, 100_000);
        HttpResponse<byte[]> head = send(server, "HEAD", "", accept, gzip);
        HttpResponse<byte[]> get = send(server, "GET", "", accept, gzip);

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        for (String header : List.of("Content-Type", "Content-Encoding", "Content-Length")) {
            assertThat(head.headers().firstValue(header)).as(header).isEqualTo(get.headers().firstValue(header));
        }
    }

    @Test
    void whatIsKeptStaysWithinItsBudgetWhateverHeadersClientsSend() throws Exception {
        long budget = 1 << 20; // holds the text answer of 150 accounts (about 0.7 MB), not a second one
        Server server = server(budget, 100_000);
        byte[] text = clientJavas(PrometheusTextFormatWriter.create(), server.registry().scrape());
        for (int i = 0; i < 100; i++) {
            String accept = "text/plain;version=0.0.4;q=0." + (i % 10) + ",application/x-made-up-" + i;
            HttpResponse<byte[]> response = send(server, "GET", "", accept, i % 2 == 0);
            assertThat(response.statusCode()).isEqualTo(200);
            byte[] body = i % 2 == 0 ? GzipMembers.inflateAll(response.body()) : response.body();
            assertThat(body).as("scrape %d", i).isEqualTo(text);
            assertThat(server.crcParts().keptBytes()).isLessThanOrEqualTo(budget);
        }
    }

    @Test
    void aNameFilterIsAnsweredByClientJavasHandler() throws Exception {
        Server server = server(32 << 20, 100_000);
        HttpResponse<byte[]> response = send(server, "GET", "?name[]=crc_up&name[]=jvm_threads_current", null, false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(response.body().length));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(new String(clientJavas(
                PrometheusTextFormatWriter.create(), server.registry().scrape(n -> n.equals("crc_up") || n.equals("jvm_threads_current"))),
                StandardCharsets.UTF_8)).contains("crc_up{account=\"a-1\"}");
    }

    @Test
    void aNameFilterThatWouldBuildTooManySeriesIsRefused() throws Exception {
        Server server = server(32 << 20, 1000);
        assertThat(send(server, "GET", "?name[]=crc_up", null, false).statusCode()).as("150 + JVM series").isEqualTo(200);

        HttpResponse<byte[]> refused = send(server, "GET", "?name[]=crc_ports_max_usage", null, false);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(new String(refused.body(), StandardCharsets.UTF_8))
                .contains("up to 7400 series, more than the 1000 a filtered scrape may build", "scrape without name[]");
    }

    @Test
    void atMostEightAnswersAreStreamedAtOnceAndAStalledOneGivesItsPlaceBackWhenItsClientGoesAway() throws Exception {
        Server server = server(1200, 0, 100_000); // nothing kept: every answer (about 8 MB) is streamed
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < ScrapeEndpoint.MAX_STREAMED; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.app().port()), 5000);
                socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                stalled.add(socket); // never read: the answer stops at what the socket buffers hold
            }
            // Each holds its place once its answer has begun (its first bytes arrived); a loaded machine may take
            // seconds to get there, and asking for a ninth before that would only be served.
            Poll.until(Duration.ofSeconds(20), Duration.ofMillis(20), "all eight answers begun",
                    () -> stalled.stream().allMatch(ScrapeEndpointTest::hasBytes));
            HttpResponse<byte[]> ninth = Poll.until(Duration.ofSeconds(20), Duration.ofMillis(50), "a ninth large scrape turned away",
                    () -> get(server), r -> r.statusCode() == 503, () -> "");
            assertThat(ninth.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(new String(ninth.body(), StandardCharsets.UTF_8)).contains("8 large scrapes are being sent already");

            stalled.remove(0).close();
            HttpResponse<byte[]> served = Poll.until(Duration.ofSeconds(20), Duration.ofMillis(50), "a place given back",
                    () -> get(server), r -> r.statusCode() == 200, () -> "");
            assertThat(served.body()).hasSizeGreaterThan(5_000_000);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }


    private static boolean hasBytes(Socket socket) {
        try {
            return socket.getInputStream().available() > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<byte[]> get(Server server) {
        try {
            return send(server, "GET", "", null, false);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
