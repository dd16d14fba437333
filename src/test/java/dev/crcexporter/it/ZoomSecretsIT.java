package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.crcexporter.CrcExporterCommand;
import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.Credentials;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.demo.ZoomAnswers;
import dev.crcexporter.testing.Days;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.testing.FakeZoomApi;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.MutableClock;
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.SecretForms;
import dev.crcexporter.upstream.FailureReason;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Zoom account's client secret, its HTTP Basic value (base64 of client ID and secret) and its access tokens never
 * show: not in a log line at DEBUG (logfmt and JSON), an error message, the landing page, {@code /metrics} or
 * {@code --config.check}'s output, whatever the token endpoint or the metrics call echoes back, and in whichever
 * encoding.
 */
class ZoomSecretsIT {
    private static final String CLIENT_ID = "client-emea";
    /** Characters that URL, form, JSON and HTML encoding change, between two runs that are easy to spot. */
    private static final String SECRET = "Qx5Hn8Tj2Wp7\"&= /\\+é<>'Fd3Gk6Bz9Lc4";
    private static final List<String> ALPHANUMERIC_RUNS = List.of("Qx5Hn8Tj2Wp7", "Fd3Gk6Bz9Lc4");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExporterFixture fixture = new ExporterFixture();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T02:30:00Z"));

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    /** What the fake does on each endpoint (null: as documented), and what the exporter must count. */
    record Fault(String name, FailureReason reason, Function<FakeZoomApi.Request, Response> token,
            Function<FakeZoomApi.Request, Response> metrics) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Everything a request carried: the Authorization header (Basic or Bearer) and the query. */
    private static String echo(FakeZoomApi.Request request) {
        return "authorization " + request.authorization() + " query " + request.query();
    }

    private static String bearer(FakeZoomApi.Request request) {
        return request.authorization().substring("Bearer ".length());
    }

    private static String json(String text) {
        return TextNode.valueOf(text).toString();
    }

    static Stream<Fault> faults() {
        return Stream.of(
                new Fault("token refused, echoing the request in its reason", FailureReason.AUTH,
                        r -> FakeZoomApi.json(401, "{\"reason\":" + json("bad " + echo(r))
                                + ",\"error\":\"invalid_client\"}"), null),
                new Fault("token endpoint failing, echoing the Basic value at the excerpt cut", FailureReason.AUTH,
                        r -> new Response(500, Map.of(), "x".repeat(100) + r.authorization() + " " + echo(r),
                                Duration.ZERO), null),
                new Fault("token answer malformed, quoting the Basic value", FailureReason.AUTH,
                        r -> FakeZoomApi.json(200, "{\"access_token\":\"t\",\"token_type\":" + json(r.authorization())
                                + ",\"expires_in\":3600}"), null),
                new Fault("token answer not JSON, being the Basic value", FailureReason.AUTH,
                        r -> FakeZoomApi.json(200, r.authorization().substring(6)), null),
                new Fault("token rate-limited, echoing in the rate limit type", FailureReason.RATE_LIMITED,
                        r -> new Response(429, Map.of("Retry-After", "0"), echo(r), Duration.ZERO), null),
                new Fault("metrics 401 twice, echoing the token", FailureReason.AUTH, null,
                        r -> FakeZoomApi.json(401, ZoomAnswers.error(124, "Invalid access token " + bearer(r)))),
                new Fault("metrics failing, echoing the token at the excerpt cut", FailureReason.HTTP_STATUS, null,
                        r -> new Response(500, Map.of(), "y".repeat(100) + bearer(r) + " " + echo(r), Duration.ZERO)),
                new Fault("metrics error message quoting the token at the message cut", FailureReason.HTTP_STATUS, null,
                        r -> FakeZoomApi.json(400, ZoomAnswers.error(300, "z".repeat(180) + bearer(r)))),
                new Fault("metrics rate-limited, the token in X-RateLimit-Type", FailureReason.RATE_LIMITED, null,
                        r -> new Response(429, Map.of("Retry-After", "0", "X-RateLimit-Type", bearer(r)), echo(r),
                                Duration.ZERO)),
                new Fault("metrics malformed, the token as a date", FailureReason.MALFORMED, null,
                        r -> FakeZoomApi.json(200, "{\"crc_ports_usage\":[{\"date_time\":"
                                + json("w".repeat(150) + bearer(r))
                                + ",\"crc_ports_hour_usage\":[]}]}")),
                new Fault("metrics malformed, the token as a bare word", FailureReason.MALFORMED, null,
                        r -> FakeZoomApi.json(200, bearer(r))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void noSecretShowsWhenZoomFailsAndEchoesThem(Fault fault) throws Exception {
        FakeZoomApi zoom = fixture.closeLater(new FakeZoomApi(clock));
        zoom.account("acct-emea", CLIENT_ID, SECRET, List.of(Days.peakingAtTen("2026-11-26", 5)));
        if (fault.token() != null) {
            zoom.behaveToken(fault.token());
        }
        if (fault.metrics() != null) {
            zoom.behaveMetrics(fault.metrics());
        }
        List<String> everything = new ArrayList<>();
        ExporterConfig config;
        try (LogCapture logs = new LogCapture()) {
            config = new ExporterConfig(URI.create("http://127.0.0.1:9/unused"), RequestMethod.POST,
                    ZoneId.of("Asia/Shanghai"), Duration.ofHours(1), Duration.ofSeconds(5), 8,
                    new RetryConfig(2, Duration.ofMillis(50), Duration.ofMillis(50)),
                    List.of(new AccountConfig("emea", new Credentials.Zoom("acct-emea", CLIENT_ID, new Secret(SECRET)),
                            OptionalInt.of(10), Optional.empty())), zoom.urls());
            Exporter exporter = fixture.start(config, clock);
            Poll.until(Duration.ofSeconds(20), "the poll gave up", () -> fixture.account(exporter, "emea").polled());
            assertThat(fixture.account(exporter, "emea").errors(fault.reason())).isPositive();
            Poll.until(Duration.ofSeconds(10), "the warning",
                    () -> logs.logfmtLines().stream().anyMatch(l -> l.contains("poll failed")));
            fixture.get(exporter, "/"); // the history's request too
            Poll.until(Duration.ofSeconds(10), "the history's request", () -> fixture.account(exporter, "emea").polled()
                    && fixture.get(exporter, "/").body().contains("could not be fetched"));
            everything.addAll(logs.lines());
            everything.add(fixture.get(exporter, "/").body());
            everything.add(fixture.metrics(exporter));
            // the messages as a user reads them, unescaped
            everything.add(fixture.landingPageCards(exporter).toString());
            everything.add(config.toString());
        }
        List<String> tokens = zoom.issuedTokens();
        assertThat(zoom.requests()).isNotEmpty();
        if (fault.metrics() != null) {
            assertThat(tokens).as("tokens were issued and used").isNotEmpty();
        }

        String all = String.join("\n", everything);
        assertThat(all).contains("reason=" + fault.reason().label()).as("masked, not left out").contains("<secret>");
        assertNoTrace(all, tokens);
    }

    /**
     * The token endpoint issues a token and echoes it, in every encoding, in the {@code scope} (which has none of the
     * CRC scopes: warned about) or in the {@code token_type} (refused): the token being read is masked like the others.
     */
    @ParameterizedTest(name = "echoed in {0}")
    @CsvSource({"scope, the Zoom app's token has none of the scopes",
            "token_type, the token answer's token_type must be"})
    void theTokenBeingReadShowsNowhereWhenItsAnswerEchoesIt(String field, String logged) throws Exception {
        FakeZoomApi zoom = fixture.closeLater(new FakeZoomApi(clock));
        zoom.account("acct-emea", CLIENT_ID, SECRET, List.of(Days.peakingAtTen("2026-11-26", 5)));
        zoom.behaveToken(request -> {
            ObjectNode answer = tree(zoom.documentedToken(request).body());
            String token = answer.get("access_token").asText();
            answer.put(field, "x " + SecretForms.all().values().stream().map(form -> form.apply(token))
                    .collect(Collectors.joining(" ")) + " tok");
            return FakeZoomApi.json(200, answer.toString());
        });
        List<String> everything = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            Exporter exporter = fixture.start(new ExporterConfig(URI.create("http://127.0.0.1:9/unused"),
                    RequestMethod.POST, ZoneId.of("Asia/Shanghai"), Duration.ofHours(1), Duration.ofSeconds(5), 8,
                    new RetryConfig(1, Duration.ofMillis(50), Duration.ofMillis(50)), List.of(new AccountConfig("emea",
                    new Credentials.Zoom("acct-emea", CLIENT_ID, new Secret(SECRET)), OptionalInt.of(10),
                    Optional.empty())), zoom.urls()), clock);
            Poll.until(Duration.ofSeconds(20), "the first poll", () -> fixture.account(exporter, "emea").polled());
            Poll.until(Duration.ofSeconds(10), "the line about the token answer",
                    () -> logs.logfmtLines().stream().anyMatch(l -> l.contains(logged)));
            everything.addAll(logs.lines());
            everything.add(fixture.get(exporter, "/").body());
            everything.add(fixture.landingPageCards(exporter).toString());
            everything.add(fixture.metrics(exporter));
        }
        assertThat(zoom.issuedTokens()).isNotEmpty();
        String all = String.join("\n", everything);
        assertNoTrace(all, zoom.issuedTokens());
        assertThat(all).as("masked, not left out").contains("x <secret>");
    }

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A poll that works, at DEBUG: the token's issue and use are logged without it. */
    @Test
    void noSecretShowsWhenEverythingWorks() throws Exception {
        FakeZoomApi zoom = fixture.closeLater(new FakeZoomApi(clock));
        zoom.account("acct-emea", CLIENT_ID, SECRET, List.of(Days.peakingAtTen("2026-11-26", 5)));
        List<String> everything = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            ExporterConfig config = new ExporterConfig(URI.create("http://127.0.0.1:9/unused"), RequestMethod.POST,
                    ZoneId.of("Asia/Shanghai"), Duration.ofMillis(200), Duration.ofSeconds(5), 8, RetryConfig.DEFAULT,
                    List.of(new AccountConfig("emea", new Credentials.Zoom("acct-emea", CLIENT_ID, new Secret(SECRET)),
                            OptionalInt.of(10), Optional.empty())), zoom.urls());
            Exporter exporter = fixture.start(config, clock);
            Poll.until(Duration.ofSeconds(10), "three polls", () -> zoom.metricsRequests() >= 3);
            Poll.until(Duration.ofSeconds(10), "the token's debug line", () -> logs.lines().stream()
                    .anyMatch(l -> l.contains("Zoom access token issued")));
            everything.addAll(logs.lines());
            everything.add(fixture.get(exporter, "/").body());
            everything.add(fixture.metrics(exporter));
            // the messages as a user reads them, unescaped
            everything.add(fixture.landingPageCards(exporter).toString());
        }
        assertNoTrace(String.join("\n", everything), zoom.issuedTokens());
    }

    @Test
    void configCheckShowsNoSecret(@TempDir Path dir) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("emea"), SECRET + "\n");
        Path config = Files.writeString(dir.resolve("crc.yml"), """
                accounts:
                  - name: emea
                    source: zoom
                    account_id: acct-emea
                    client_id: client-emea
                    client_secret: %s
                  - name: apac
                    source: zoom
                    account_id: acct-apac
                    client_id: client-apac
                    client_secret_file: %s
                """.formatted(json(SECRET), secretFile));
        Path broken = Files.writeString(dir.resolve("broken.yml"), Files.readString(config)
                .replace("client_secret_file:", "client_secret: " + json(SECRET) + "\n    client_secret_file:"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        for (Path file : List.of(config, broken)) {
            var cli = CrcExporterCommand.commandLine(Map.of(), clock);
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            cli.execute("--config.check", "--config.file=" + file);
        }
        assertThat(out.toString()).contains("configuration is valid: 2 account(s): emea,apac");
        assertThat(err.toString())
                .contains("set only one of accounts[apac].client_secret and accounts[apac].client_secret_file");
        assertNoTrace(out + "\n" + err, List.of());
    }

    private static void assertNoTrace(String text, List<String> tokens) {
        for (var form : SecretForms.all().entrySet()) {
            assertThat(text).as("client secret, " + form.getKey()).doesNotContain(form.getValue().apply(SECRET));
        }
        for (String run : ALPHANUMERIC_RUNS) {
            for (int i = 0; i + 5 <= run.length(); i++) {
                assertThat(text).as("a piece of the client secret").doesNotContain(run.substring(i, i + 5));
            }
        }
        String basic = FakeZoomApi.basic(CLIENT_ID, SECRET).substring("Basic ".length());
        for (int i = 0; i + 12 <= basic.length(); i += 4) {
            assertThat(text).as("a piece of the Basic value").doesNotContain(basic.substring(i, i + 12));
        }
        for (String token : tokens) {
            for (var form : SecretForms.all().entrySet()) {
                assertThat(text).as("token, " + form.getKey()).doesNotContain(form.getValue().apply(token));
            }
            // The part that differs between tokens (the header part is the same for all of them).
            String own = token.split("\\.")[1];
            assertThat(text).as("the token's own part").doesNotContain(own);
        }
    }
}
