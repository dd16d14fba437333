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
import dev.crcexporter.testing.BrokenHttpUpstream;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Framing;
import dev.crcexporter.testing.FakeCrcApi.Request;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.Ports;
import dev.crcexporter.testing.SecretForms;
import dev.crcexporter.upstream.FailureReason;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API secret never shows, whatever fails: not in a log line at any level (logfmt and JSON), not in
 * an error message, a toString, the landing page or the metrics, also when a GET request carries it in
 * its query string and the upstream quotes it back. Upstreams that echo place the secret right where
 * messages are cut, so that a cut before redaction would leak its first half.
 */
class SecretsIT {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T02:30:00Z"), ZoneOffset.UTC);
    /**
     * Characters that URL, form, JSON and HTML encoding change (+ / = & " ' < > é, a space), between two runs that are
     * easy to spot.
     */
    private static final String SECRET = "Zq7Wx4Lm9Vb2\"&= /\\+é<>'Np8Kt3Rs6Yd1";
    private static final List<String> ALPHANUMERIC_RUNS = List.of("Zq7Wx4Lm9Vb2", "Np8Kt3Rs6Yd1");

    private final ExporterFixture fixture = new ExporterFixture();

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    /** A fault: what the upstream does, and the reason the exporter must count. */
    record Fault(String name, FailureReason reason, Function<Request, Response> behaviour, boolean reachable) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String echo(Request request) {
        return "params " + request.params() + " query " + request.rawQuery();
    }

    static Stream<Arguments> faults() {
        List<Fault> faults = List.of(
                new Fault("timeout", FailureReason.TIMEOUT,
                        r -> Response.json(echo(r)).delayed(Duration.ofSeconds(20)), true),
                new Fault("connection refused", FailureReason.CONNECT, null, false),
                new Fault("unresolvable host", FailureReason.CONNECT, null, false),
                new Fault("HTTP 500 echoing the request at the excerpt cut", FailureReason.HTTP_STATUS,
                        r -> new Response(500, Map.of(), "x".repeat(110) + r.params().get("api_secret") + " " + echo(r),
                                Duration.ZERO), true),
                new Fault("HTTP 429 echoing the request", FailureReason.RATE_LIMITED,
                        r -> new Response(429, Map.of("Retry-After", "0"), echo(r), Duration.ZERO), true),
                new Fault("API status quoting the secret at the message cut", FailureReason.API_STATUS,
                        r -> Response.json(ApiAnswers.error(401, "y".repeat(190) + r.params().get("api_secret")
                                + " is wrong")), true),
                new Fault("malformed: secret as a date at the message cut", FailureReason.MALFORMED,
                        r -> Response.json("{\"status\":200,\"data\":[{\"date_time\":\"" + "z".repeat(150)
                                + jsonEscaped(r.params().get("api_secret")) + "\",\"crc_ports_hour_usage\":[]}]}"),
                        true),
                new Fault("malformed: secret as a bare token", FailureReason.MALFORMED,
                        r -> Response.json(r.params().get("api_secret")), true),
                new Fault("huge body full of the secret", FailureReason.MALFORMED,
                        r -> Response.json("{\"status\":200,\"data\":[\""
                                + jsonEscaped(r.params().get("api_secret")).repeat(60_000) + "\"]}"), true),
                new Fault("body cut short", FailureReason.CONNECT,
                        r -> Response.json(echo(r).repeat(20)).framed(Framing.CUT_SHORT), true));
        List<Arguments> cases = new ArrayList<>();
        for (Fault fault : faults) {
            for (RequestMethod method : RequestMethod.values()) {
                cases.add(Arguments.of(fault, method));
            }
        }
        return cases.stream();
    }

    private static String jsonEscaped(String text) {
        return new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("faults")
    void secretShowsNowhereWhenTheUpstreamFails(Fault fault, RequestMethod method) throws Exception {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi());
        URI url = switch (fault.name()) {
            case "connection refused" -> URI.create("http://127.0.0.1:" + fixture.closeLater(Ports.refusing()).port()
                    + FakeCrcApi.PATH);
            case "unresolvable host" -> URI.create("http://nonexistent.invalid" + FakeCrcApi.PATH);
            default -> upstream.url();
        };
        if (fault.behaviour() != null) {
            upstream.behave(fault.behaviour());
        }
        // The hanging upstream times out at once; for the others far beyond a loopback answer (or what a resolver
        // without a network takes to give up), so that the failure is theirs, not the time's.
        Duration timeout = fault.name().equals("timeout") ? Duration.ofMillis(200) : Duration.ofSeconds(15);
        List<String> everything = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            ExporterConfig config = new ExporterConfig(url, method, ZoneId.of("Asia/Shanghai"), Duration.ofHours(1),
                    timeout, 8, new RetryConfig(2, Duration.ofMillis(50), Duration.ofMillis(50)),
                    List.of(new AccountConfig("hq", "key-hq", new Secret(SECRET), OptionalInt.of(10))),
                    ZoomConfig.DEFAULT);
            Exporter exporter = fixture.start(config, CLOCK);
            // two attempts
            Poll.until(timeout.multipliedBy(2).plusSeconds(15), "the poll gave up",
                    () -> fixture.account(exporter, "hq").polled());

            assertThat(fixture.account(exporter, "hq").errors(fault.reason())).isPositive();
            if (fault.reachable()) {
                assertThat(upstream.requests()).isNotEmpty()
                        .allSatisfy(r -> assertThat(r.params()).containsEntry("api_secret", SECRET));
            }
            everything.addAll(logs.lines());
            everything.add(fixture.get(exporter, "/").body());
            everything.add(fixture.metrics(exporter));
            everything.add(fixture.get(exporter, "/metrics", "Accept", "application/openmetrics-text; version=1.0.0")
                    .body());
            // the messages as a user reads them, unescaped
            everything.add(fixture.landingPageCards(exporter).toString());
            everything.add(config.toString());
        }

        String all = String.join("\n", everything);
        assertThat(all).contains("reason=" + fault.reason().label()).as("the secret shows masked").contains("<secret>");
        assertNoTraceOfTheSecret(all);
    }

    static Stream<Arguments> echoedForms() {
        return SecretForms.all().keySet().stream().map(Arguments::of);
    }

    /**
     * Accounts whose failures quote what the upstream sent, the secret echoed in one form: where the message is cut
     * (an HTTP 500 body, an API status message, a malformed value), and whole at the start of an API status message.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("echoedForms")
    void secretShowsNowhereInAnyFormTheUpstreamEchoes(String formName) throws Exception {
        UnaryOperator<String> form = SecretForms.all().get(formName);
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi());
        upstream.behave(r -> {
            String echoed = form.apply(r.params().get("api_secret"));
            return switch (r.apiKey()) {
                case "key-http" -> new Response(500, Map.of(), "x".repeat(110) + echoed + " " + echoed, Duration.ZERO);
                case "key-api" -> Response.json(ApiAnswers.error(401, "y".repeat(190) + echoed + " is wrong"));
                case "key-whole" -> Response.json(ApiAnswers.error(401, echoed + " is wrong"));
                default -> Response.json("{\"status\":200,\"data\":[{\"date_time\":"
                        + TextNode.valueOf("z".repeat(150) + echoed) + ",\"crc_ports_hour_usage\":[]}]}");
            };
        });
        List<String> everything = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            List<AccountConfig> accounts = Stream.of("http", "api", "whole", "malformed")
                    .map(name -> new AccountConfig(name, "key-" + name, new Secret(SECRET), OptionalInt.empty()))
                    .toList();
            ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"),
                    Duration.ofHours(1), Duration.ofSeconds(5), 8,
                    new RetryConfig(1, Duration.ofMillis(50), Duration.ofMillis(50)),
                    accounts, ZoomConfig.DEFAULT);
            Exporter exporter = fixture.start(config, CLOCK);
            fixture.awaitReady(exporter, Duration.ofSeconds(20));
            assertThat(fixture.account(exporter, "http").errors(FailureReason.HTTP_STATUS)).isPositive();
            assertThat(fixture.account(exporter, "api").errors(FailureReason.API_STATUS)).isPositive();
            assertThat(fixture.account(exporter, "whole").errors(FailureReason.API_STATUS)).isPositive();
            assertThat(fixture.account(exporter, "malformed").errors(FailureReason.MALFORMED)).isPositive();
            Poll.until(Duration.ofSeconds(10), "four warnings",
                    () -> logs.logfmtLines().stream().filter(l -> l.contains("poll failed")).count() >= 4);
            everything.addAll(logs.lines());
            everything.add(fixture.get(exporter, "/").body());
            everything.add(fixture.metrics(exporter));
            // the messages as a user reads them, unescaped
            everything.add(fixture.landingPageCards(exporter).toString());
        }

        String all = String.join("\n", everything);
        assertThat(all).contains("<secret>");
        assertNoTraceOfTheSecret(all);
    }

    /**
     * An answer that is not HTTP, its status line echoing the secret: the JDK quotes the line in its error,
     * having read the UTF-8 bytes as ISO-8859-1; the exporter masks it all the same.
     */
    @Test
    void secretEchoedInAnInvalidStatusLineShowsNowhere() throws Exception {
        BrokenHttpUpstream upstream = fixture.closeLater(new BrokenHttpUpstream());
        upstream.mode(BrokenHttpUpstream.Mode.INVALID_STATUS_LINE);
        upstream.invalidStatusLineText("two hundred: {secret}");
        List<String> everything = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"),
                    Duration.ofHours(1), Duration.ofSeconds(5), 8,
                    new RetryConfig(1, Duration.ofMillis(50), Duration.ofMillis(50)),
                    List.of(new AccountConfig("hq", "key-hq", new Secret(SECRET), OptionalInt.empty())),
                    ZoomConfig.DEFAULT);
            Exporter exporter = fixture.start(config, CLOCK);
            fixture.awaitReady(exporter, Duration.ofSeconds(20));
            assertThat(fixture.account(exporter, "hq").up()).isFalse();
            Poll.until(Duration.ofSeconds(10), "a warning",
                    () -> logs.lines().stream().anyMatch(l -> l.contains("Invalid status line")));
            everything.addAll(logs.lines());
            everything.add(fixture.get(exporter, "/").body());
            // the messages as a user reads them, unescaped
            everything.add(fixture.landingPageCards(exporter).toString());
        }

        String all = String.join("\n", everything);
        assertThat(all).contains("<secret>");
        assertNoTraceOfTheSecret(all);
    }

    private static void assertNoTraceOfTheSecret(String text) {
        for (var form : SecretForms.all().entrySet()) {
            assertThat(text).as(form.getKey()).doesNotContain(form.getValue().apply(SECRET));
        }
        for (String run : ALPHANUMERIC_RUNS) {
            for (int i = 0; i + 5 <= run.length(); i++) {
                assertThat(text).as("a piece of the secret").doesNotContain(run.substring(i, i + 5));
            }
        }
    }
}
