package dev.crcexporter.it;

import static dev.crcexporter.testing.Http.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.testing.ExporterFixture;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.TestCertificates.Issued;
import dev.crcexporter.testing.TestCertificates;
import dev.crcexporter.web.toolkit.WebConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * {@code POST /-/reload} and the web configuration: the endpoint itself (POST only, behind the same users), and
 * users, headers and TLS settings that follow a reload, or stay when the new file cannot be applied.
 */
class WebConfigReloadIT {
    private static final String ALICE_PASSWORD = "alice-Pa55word";
    private static final String BOB_PASSWORD = "bob-Pa55word";

    @TempDir
    static Path certs;
    static Issued ca;
    static String aliceHash;
    static String bobHash;

    @TempDir
    Path dir;

    private final ExporterFixture fixture = new ExporterFixture();

    @BeforeAll
    static void material() throws Exception {
        ca = TestCertificates.ca("reload-ca");
        KeyPair keys = TestCertificates.ec();
        TestCertificates.pem(certs.resolve("server.crt"), TestCertificates.server(ca, keys).certificate());
        TestCertificates.pem(certs.resolve("server.key"), keys.getPrivate());
        aliceHash = BCrypt.hashpw(ALICE_PASSWORD, BCrypt.gensalt(4)).replace("$2a$", "$2y$");
        bobHash = BCrypt.hashpw(BOB_PASSWORD, BCrypt.gensalt(4)).replace("$2a$", "$2y$");
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private Path webFile;
    private String scheme = "http";
    private SSLContext tls;

    private Exporter start(String webConfigYaml) throws Exception {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k", "upstream-secret", List.of());
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ExporterConfig.DEFAULT_TIMEZONE,
                Duration.ofHours(1), Duration.ofSeconds(2), 2,
                new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                List.of(new AccountConfig("hq", "k", new Secret("upstream-secret"), OptionalInt.empty())),
                ZoomConfig.DEFAULT);
        webFile = dir.resolve("web.yml");
        writeWebConfig(webConfigYaml);
        Path file = webFile;
        return fixture.start(config, WebConfigLoader.load(file), Optional.empty(), Clock.systemUTC(), () -> config,
                () -> WebConfigLoader.load(file));
    }

    private void writeWebConfig(String yaml) throws IOException {
        Files.writeString(webFile, yaml.replace("${certs}", certs.toString()));
    }

    private HttpResponse<String> send(Exporter exporter, String method, String path, String authorization)
            throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            client.sslContext(tls);
        }
        HttpRequest.Builder request = HttpRequest
                .newBuilder(URI.create(scheme + "://localhost:" + exporter.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static OptionalDouble gauge(String metrics, String name) {
        return ExporterFixture.value(metrics, name);
    }

    @Test
    void theEndpointReloadsOnPostAndAnswers405WithAllowToAnythingElse() throws Exception {
        Exporter exporter = start("");
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")) {
            HttpResponse<String> refused = send(exporter, method, "/-/reload", null);
            assertThat(refused.statusCode()).as(method).isEqualTo(405);
            assertThat(refused.headers().firstValue("Allow")).as(method).hasValue("POST");
        }
        HttpResponse<String> reloaded = send(exporter, "POST", "/-/reload", null);
        assertThat(reloaded.statusCode()).isEqualTo(200);
        assertThat(reloaded.body()).isEqualTo("configuration reloaded: 1 account(s); nothing changed\n");
        assertThat(gauge(fixture.metrics(exporter), "crc_exporter_config_last_reload_successful")).hasValue(1.0);
    }

    @Test
    void theEndpointNeedsTheConfiguredUsersAndTheirTlsLikeEveryOther() throws Exception {
        scheme = "https";
        tls = TestCertificates.clientContext(ca, null);
        Exporter exporter = start("""
                tls_server_config: {cert_file: ${certs}/server.crt, key_file: ${certs}/server.key}
                basic_auth_users: {alice: "%s"}
                """.formatted(aliceHash));
        double started = gauge(send(exporter, "GET", "/metrics", basic("alice", ALICE_PASSWORD)).body(),
                "crc_exporter_config_last_reload_success_timestamp_seconds").orElseThrow();
        writeWebConfig("""
                tls_server_config: {cert_file: ${certs}/server.crt, key_file: ${certs}/server.key}
                basic_auth_users: {mallory: "%s"}
                """.formatted(bobHash));
        Thread.sleep(20); // a later timestamp than the start's, should the reload happen

        for (String authorization : new String[] {null, basic("alice", "wrong"), basic("mallory", BOB_PASSWORD)}) {
            HttpResponse<String> refused = send(exporter, "POST", "/-/reload", authorization);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).doesNotContain("reload");
        }
        // Nothing was reloaded: alice still scrapes, and the configuration in force dates from the start.
        HttpResponse<String> scrape = send(exporter, "GET", "/metrics", basic("alice", ALICE_PASSWORD));
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(gauge(scrape.body(), "crc_exporter_config_last_reload_success_timestamp_seconds")).hasValue(started);

        // Plain HTTP on the TLS port reloads nothing either.
        scheme = "http";
        tls = null;
        try {
            assertThat(send(exporter, "POST", "/-/reload", basic("alice", ALICE_PASSWORD)).statusCode()).isEqualTo(400);
        } catch (IOException closed) {
            // refused by closing the connection: as good
        }
        scheme = "https";
        tls = TestCertificates.clientContext(ca, null);
        assertThat(send(exporter, "GET", "/metrics", basic("alice", ALICE_PASSWORD)).statusCode()).isEqualTo(200);
    }

    @Test
    void usersAndHeadersFollowAReload() throws Exception {
        Exporter exporter = start("basic_auth_users: {alice: \"%s\"}\n".formatted(aliceHash));
        assertThat(send(exporter, "GET", "/metrics", basic("alice", ALICE_PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(send(exporter, "GET", "/metrics", basic("bob", BOB_PASSWORD)).statusCode()).isEqualTo(401);

        writeWebConfig("""
                basic_auth_users: {bob: "%s"}
                http_server_config: {headers: {X-Frame-Options: deny}}
                """.formatted(bobHash));
        try (LogCapture logs = new LogCapture()) {
            HttpResponse<String> reloaded = send(exporter, "POST", "/-/reload", basic("alice", ALICE_PASSWORD));
            assertThat(reloaded.statusCode()).isEqualTo(200);
            // The answer to the reload itself came under the configuration it replaced: no header yet.
            assertThat(reloaded.headers().firstValue("X-Frame-Options")).isEmpty();
            assertThat(String.join("\n", logs.lines())).contains("configuration reloaded")
                    .doesNotContain(ALICE_PASSWORD, BOB_PASSWORD, aliceHash.substring(7), bobHash.substring(7));
        }
        // alice's success was remembered by the old users' check: it must not outlive her removal.
        assertThat(send(exporter, "GET", "/metrics", basic("alice", ALICE_PASSWORD)).statusCode()).isEqualTo(401);
        HttpResponse<String> bob = send(exporter, "GET", "/metrics", basic("bob", BOB_PASSWORD));
        assertThat(bob.statusCode()).isEqualTo(200);
        assertThat(bob.headers().firstValue("X-Frame-Options")).hasValue("deny");
        assertThat(send(exporter, "GET", "/-/healthy", basic("bob", BOB_PASSWORD))
                .headers().firstValue("X-Frame-Options")).hasValue("deny");

        // And back to no users at all: anyone may ask again, the header is gone.
        writeWebConfig("");
        assertThat(send(exporter, "POST", "/-/reload", basic("bob", BOB_PASSWORD)).statusCode()).isEqualTo(200);
        HttpResponse<String> anyone = send(exporter, "GET", "/metrics", null);
        assertThat(anyone.statusCode()).isEqualTo(200);
        assertThat(anyone.headers().firstValue("X-Frame-Options")).isEmpty();
    }

    @Test
    void aWebConfigThatCannotBeUsedKeepsTheRunningOneAndSaysWhy() throws Exception {
        Exporter exporter = start("basic_auth_users: {alice: \"%s\"}\n".formatted(aliceHash));
        String alice = basic("alice", ALICE_PASSWORD);
        double started = gauge(send(exporter, "GET", "/metrics", alice).body(),
                "crc_exporter_config_last_reload_success_timestamp_seconds").orElseThrow();

        writeWebConfig("basic_auth_users: {bob: \"" + BOB_PASSWORD + "\"}\n"); // a password where its hash belongs
        try (LogCapture logs = new LogCapture()) {
            HttpResponse<String> failed = send(exporter, "POST", "/-/reload", alice);
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("reload failed, the running configuration stays: --web.config.file "
                    + webFile + ": basic_auth_users.bob is not a bcrypt hash ($2y$, $2a$ or $2b$, as `htpasswd -nBC 10"
                    + " USER` writes it)\n");
            assertThat(logs.logfmtLines()).anySatisfy(line -> assertThat(line).contains("level=error",
                    "reload failed: the running configuration stays", "basic_auth_users.bob is not a bcrypt hash"));
            assertThat(String.join("\n", logs.lines())).doesNotContain(BOB_PASSWORD);
        }
        String metrics = send(exporter, "GET", "/metrics", alice).body();
        assertThat(gauge(metrics, "crc_exporter_config_last_reload_successful")).hasValue(0.0);
        assertThat(gauge(metrics, "crc_exporter_config_last_reload_success_timestamp_seconds")).hasValue(started);
        assertThat(send(exporter, "GET", "/metrics", basic("bob", BOB_PASSWORD)).statusCode()).isEqualTo(401);

        writeWebConfig("basic_auth_users: {bob: \"%s\"}\n".formatted(bobHash));
        Thread.sleep(20);
        assertThat(send(exporter, "POST", "/-/reload", alice).statusCode()).isEqualTo(200);
        metrics = send(exporter, "GET", "/metrics", basic("bob", BOB_PASSWORD)).body();
        assertThat(gauge(metrics, "crc_exporter_config_last_reload_successful")).hasValue(1.0);
        assertThat(gauge(metrics, "crc_exporter_config_last_reload_success_timestamp_seconds").orElseThrow())
                .isGreaterThan(started);
    }

    @Test
    void turningTlsOnOrOffNeedsARestart() throws Exception {
        Exporter exporter = start("");
        writeWebConfig("tls_server_config: {cert_file: ${certs}/server.crt, key_file: ${certs}/server.key}\n");
        HttpResponse<String> refused = send(exporter, "POST", "/-/reload", null);
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.body()).isEqualTo("reload failed, the running configuration stays:"
                + " tls_server_config was added: switching between HTTP and HTTPS needs a restart\n");
        assertThat(send(exporter, "GET", "/-/healthy", null).statusCode()).isEqualTo(200);
    }

    @Test
    void tlsSettingsFollowAReload() throws Exception {
        scheme = "https";
        tls = TestCertificates.clientContext(ca, null);
        Exporter exporter = start(
                "tls_server_config: {cert_file: ${certs}/server.crt, key_file: ${certs}/server.key}\n");
        SSLContext tls12Only = TestCertificates.clientContext(ca, null);
        HttpClient oldClient = HttpClient.newBuilder().sslContext(tls12Only)
                .sslParameters(new SSLParameters(null, new String[] {"TLSv1.2"})).build();
        URI healthy = URI.create("https://localhost:" + exporter.port() + "/-/healthy");
        assertThat(oldClient.send(HttpRequest.newBuilder(healthy).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);

        writeWebConfig("tls_server_config: {cert_file: ${certs}/server.crt, key_file: ${certs}/server.key,"
                + " min_version: TLS13}\n");
        assertThat(send(exporter, "POST", "/-/reload", null).statusCode()).isEqualTo(200);

        HttpClient newTls12Client = HttpClient.newBuilder().sslContext(tls12Only)
                .sslParameters(new SSLParameters(null, new String[] {"TLSv1.2"})).build();
        assertThatThrownBy(() -> newTls12Client.send(HttpRequest.newBuilder(healthy).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(send(exporter, "GET", "/-/healthy", null).sslSession().orElseThrow().getProtocol())
                .isEqualTo("TLSv1.3");
    }
}
