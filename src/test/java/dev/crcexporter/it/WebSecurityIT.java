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
import dev.crcexporter.testing.ExternalProcesses;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** --web.config.file for real: TLS, mTLS and basic auth with certificates made here, over loopback. */
class WebSecurityIT {
    private static final String PASSWORD = "scrape-Pa55word";

    @TempDir
    static Path dir;
    static Issued ca;
    static Issued otherCa;
    static Issued client;
    static Issued strangerClient;
    static String hash;

    private final ExporterFixture fixture = new ExporterFixture();
    private final ExternalProcesses processes = new ExternalProcesses();

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.ca("crc-test-ca");
        otherCa = TestCertificates.ca("someone-else");
        KeyPair serverKeys = TestCertificates.rsa();
        Issued server = TestCertificates.server(ca, serverKeys);
        TestCertificates.pem(dir.resolve("server.crt"), server.certificate());
        TestCertificates.pem(dir.resolve("server.key"), serverKeys);
        TestCertificates.pem(dir.resolve("ca.crt"), ca.certificate());
        client = TestCertificates.client(ca, "prometheus");
        strangerClient = TestCertificates.client(otherCa, "stranger");
        // htpasswd -nBC 10 writes $2y$
        hash = BCrypt.hashpw(PASSWORD, BCrypt.gensalt(10)).replace("$2a$", "$2y$");
    }

    @AfterEach
    void close() throws Exception {
        try (fixture) {
            processes.close();
        }
    }

    private Exporter start(String webConfigYaml) throws Exception {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k", "upstream-secret", List.of());
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ExporterConfig.DEFAULT_TIMEZONE,
                Duration.ofHours(1), Duration.ofSeconds(2), 2,
                new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                List.of(new AccountConfig("hq", "k", new Secret("upstream-secret"), OptionalInt.of(4))),
                ZoomConfig.DEFAULT);
        Path file = Files.writeString(dir.resolve("web-" + System.nanoTime() + ".yml"), webConfigYaml);
        return fixture.start(config, WebConfigLoader.load(file), Clock.systemUTC());
    }

    private static HttpResponse<String> get(SSLContext tls, String url, String authorization) throws Exception {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return builder.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void basicAuthOverTlsProtectsEveryEndpoint() throws Exception {
        Exporter exporter;
        try (LogCapture logs = new LogCapture()) {
            exporter = start("""
                    tls_server_config:
                      cert_file: server.crt
                      key_file: server.key
                    http_server_config:
                      headers:
                        X-Frame-Options: deny
                        X-Content-Type-Options: nosniff
                    basic_auth_users:
                      prometheus: "%s"
                    """.formatted(hash));
            SSLContext tls = TestCertificates.clientContext(ca, null);
            String base = "https://localhost:" + exporter.port();

            for (String path : List.of("/metrics", "/", "/-/healthy", "/-/ready", "/no-such-page")) {
                HttpResponse<String> anonymous = get(tls, base + path, null);
                assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
                assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic realm=");
                assertThat(get(tls, base + path, basic("prometheus", "wrong")).statusCode()).as(path).isEqualTo(401);
                assertThat(get(tls, base + path, basic("root", PASSWORD)).statusCode()).as(path).isEqualTo(401);
            }
            HttpResponse<String> scrape = get(tls, base + "/metrics", basic("prometheus", PASSWORD));
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("crc_ports_capacity{account=\"hq\"} 4.0");
            assertThat(scrape.headers().firstValue("X-Frame-Options")).hasValue("deny");
            assertThat(scrape.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(get(tls, base + "/", basic("prometheus", PASSWORD)).body()).contains("crc-exporter");

            assertThat(String.join("\n", logs.lines())).doesNotContain(PASSWORD, "wrong", hash.substring(7));
        }
    }

    /**
     * The status line of {@code GET /metrics} over TLS to 127.0.0.1, with {@code sni} as the server name (none for
     * null) and {@code host} as the Host header: what Prometheus sends for a target by IP, with or without
     * {@code tls_config.server_name}. The server's certificate is checked against the CA, not against a name.
     */
    private static String statusLine(SSLContext tls, int port, String sni, String host) throws Exception {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            socket.setSSLParameters(parameters);
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("(no answer)");
        }
    }

    @Test
    void aCertificateForAnotherNameIsServedWhateverTheHostAndTheSni() throws Exception {
        KeyPair keys = TestCertificates.ec();
        TestCertificates.pem(dir.resolve("localhost-only.crt"),
                TestCertificates.serverForLocalhostOnly(ca, keys).certificate());
        TestCertificates.pem(dir.resolve("localhost-only.key"), keys.getPrivate());
        Exporter exporter = start("tls_server_config:\n  cert_file: localhost-only.crt\n"
                + "  key_file: localhost-only.key\n");
        SSLContext tls = TestCertificates.clientContext(ca, null);
        int port = exporter.port();

        // https://127.0.0.1:PORT/metrics, insecure_skip_verify: no SNI (an IP address is never one), Host the IP
        assertThat(statusLine(tls, port, null, "127.0.0.1:" + port)).isEqualTo("HTTP/1.1 200 OK");
        // a pod IP target with tls_config.server_name: localhost
        assertThat(statusLine(tls, port, "localhost", "10.1.2.3:" + port)).isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoMetrics() throws Exception {
        Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");

        HttpResponse<String> plain;
        try {
            plain = get(null, "http://127.0.0.1:" + exporter.port() + "/metrics", null);
        } catch (IOException refused) {
            return; // the connection was closed: refused as it should be
        }
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).doesNotContain("crc_up");
    }

    @Test
    void tlsOnePointOneIsRefusedAndOnePointTwoAccepted() throws Exception {
        Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
        String target = "127.0.0.1:" + exporter.port();

        // openssl as the client: the JDK's own client would refuse TLS 1.1 before the server had a say.
        String tls11 = openssl("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-connect", target);
        String tls12 = openssl("-tls1_2", "-connect", target);

        assertThat(tls12).contains("Protocol version: TLSv1.2");
        assertThat(tls11).doesNotContain("CONNECTION ESTABLISHED").containsIgnoringCase("alert");
    }

    @Test
    void minVersionFromTheFileIsEnforced() throws Exception {
        Exporter exporter = start(
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n");
        String target = "127.0.0.1:" + exporter.port();

        assertThat(openssl("-tls1_3", "-connect", target)).contains("Protocol version: TLSv1.3");
        assertThat(openssl("-tls1_2", "-connect", target)).doesNotContain("CONNECTION ESTABLISHED")
                .containsIgnoringCase("alert");
    }

    /** openssl s_client with nothing to send: it ends after the handshake; killed after 20s. */
    private String openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-brief"));
        command.addAll(List.of(args));
        return processes.run(Duration.ofSeconds(20), command.toArray(String[]::new)).output();
    }

    @Test
    void mutualTlsNeedsACertificateFromTheConfiguredCa() throws Exception {
        Exporter exporter = start("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_ca_file: ca.crt
                  client_auth_type: RequireAndVerifyClientCert
                """);
        String url = "https://localhost:" + exporter.port() + "/metrics";

        assertThat(get(TestCertificates.clientContext(ca, client), url, null).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> get(TestCertificates.clientContext(ca, null), url, null))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(TestCertificates.clientContext(ca, strangerClient), url, null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void verifyIfGivenLetsClientsWithoutCertificatesIn() throws Exception {
        Exporter exporter = start("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_ca_file: ca.crt
                  client_auth_type: VerifyClientCertIfGiven
                """);
        String url = "https://localhost:" + exporter.port() + "/metrics";

        assertThat(get(TestCertificates.clientContext(ca, null), url, null).statusCode()).isEqualTo(200);
        assertThat(get(TestCertificates.clientContext(ca, client), url, null).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> get(TestCertificates.clientContext(ca, strangerClient), url, null))
                .isInstanceOf(IOException.class);
    }
}
