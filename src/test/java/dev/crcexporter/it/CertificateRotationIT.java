package dev.crcexporter.it;

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
import dev.crcexporter.testing.Poll;
import dev.crcexporter.testing.TestCertificates.Issued;
import dev.crcexporter.testing.TestCertificates;
import dev.crcexporter.web.toolkit.WebConfigLoader;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate rotation over real HTTPS: files named in --web.config.file are replaced while the exporter runs, and
 * new connections get what they hold (checked at most once a second), with neither a restart nor a reload.
 */
class CertificateRotationIT {
    /** The check interval is 1 s; the rest is room for a loaded machine. */
    private static final Duration PICKED_UP = Duration.ofSeconds(15);

    static Issued ca;

    @TempDir
    Path dir;

    private final ExporterFixture fixture = new ExporterFixture();

    @BeforeAll
    static void authority() throws Exception {
        ca = TestCertificates.ca("rotation-ca");
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private Exporter start(String webConfigYaml) throws Exception {
        FakeCrcApi upstream = fixture.closeLater(new FakeCrcApi()).account("k", "upstream-secret", List.of());
        ExporterConfig config = new ExporterConfig(upstream.url(), RequestMethod.POST, ExporterConfig.DEFAULT_TIMEZONE,
                Duration.ofHours(1), Duration.ofSeconds(2), 2,
                new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                List.of(new AccountConfig("hq", "k", new Secret("upstream-secret"), OptionalInt.empty())),
                ZoomConfig.DEFAULT);
        Path file = Files.writeString(dir.resolve("web.yml"), webConfigYaml);
        return fixture.start(config, WebConfigLoader.load(file), Clock.systemUTC());
    }

    /** A new server certificate of the test CA with its key (PKCS#8), written to {@code folder}. */
    private static Issued writeServer(Path folder) throws Exception {
        KeyPair keys = TestCertificates.ec();
        Issued server = TestCertificates.server(ca, keys);
        TestCertificates.pem(folder.resolve("server.crt"), server.certificate());
        TestCertificates.pem(folder.resolve("server.key"), keys.getPrivate());
        return server;
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The serial of the certificate the server presents to a new connection (a new client: nothing pooled). */
    private static BigInteger presentedToNewConnection(Exporter exporter) {
        try {
            HttpResponse<String> response = get(client(TestCertificates.clientContext(ca, null)),
                    "https://localhost:" + exporter.port() + "/-/healthy");
            assertThat(response.statusCode()).isEqualTo(200);
            return serial(response);
        } catch (Exception e) {
            throw new AssertionError("GET /-/healthy over a new connection failed: " + e, e);
        }
    }

    private static BigInteger serial(HttpResponse<?> response) throws Exception {
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    @Test
    void aCertificateReplacedInPlaceReachesNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
        Issued first = writeServer(dir);
        Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
        String url = "https://localhost:" + exporter.port() + "/-/healthy";
        HttpClient open = client(TestCertificates.clientContext(ca, null));
        BigInteger firstSerial = first.certificate().getSerialNumber();
        assertThat(serial(get(open, url))).isEqualTo(firstSerial);
        // The connection opened before the rotation is used at every step, so that the server never closes it as idle
        // (10 s) however long the steps take on a loaded machine: still served, with the certificate it was made with.
        Runnable openConnectionKeepsItsCertificate = () -> {
            try {
                HttpResponse<String> again = get(open, url);
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(serial(again)).as("the connection opened before the rotation").isEqualTo(firstSerial);
            } catch (AssertionError | Exception e) {
                throw new Poll.Abort("the connection opened before the rotation: " + e);
            }
        };

        try (LogCapture logs = new LogCapture()) {
            // Half-way: the new certificate without its key. New connections still succeed, with the old pair.
            KeyPair nextKeys = TestCertificates.ec();
            Issued second = TestCertificates.server(ca, nextKeys);
            TestCertificates.pem(dir.resolve("server.crt"), second.certificate());
            Poll.until(PICKED_UP, Duration.ofMillis(200), "the half-done rotation noticed", () -> {
                openConnectionKeepsItsCertificate.run();
                assertThat(presentedToNewConnection(exporter)).isEqualTo(firstSerial);
                return logs.logfmtLines().stream().anyMatch(l -> l.contains("cannot be used"));
            }, noticed -> noticed, () -> "");

            TestCertificates.pem(dir.resolve("server.key"), nextKeys.getPrivate());
            Poll.until(PICKED_UP, Duration.ofMillis(100), "the new certificate on a new connection", () -> {
                openConnectionKeepsItsCertificate.run();
                return presentedToNewConnection(exporter);
            }, second.certificate().getSerialNumber()::equals, () -> "");
            openConnectionKeepsItsCertificate.run();

            List<String> ours = logs.logfmtLines().stream()
                    .filter(l -> l.contains("logger=RotatingSslContextFactory")).toList();
            assertThat(ours).hasSize(2);
            assertThat(ours.get(0)).contains("level=warn", "does not belong to the certificate of cert_file");
            assertThat(ours.get(1)).contains("level=info", "new connections get the new certificate");
        }
    }

    @Test
    void aKubernetesSecretVolumeSwapIsPickedUp() throws Exception {
        // What the kubelet does: files live in a timestamped folder, reached through the ..data symlink, which is
        // replaced atomically by one to a new folder.
        Path v1 = Files.createDirectory(dir.resolve("..2026_11_27_01_00_00.1"));
        Issued first = writeServer(v1);
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Files.createSymbolicLink(dir.resolve("server.crt"), Path.of("..data/server.crt"));
        Files.createSymbolicLink(dir.resolve("server.key"), Path.of("..data/server.key"));
        Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
        assertThat(presentedToNewConnection(exporter)).isEqualTo(first.certificate().getSerialNumber());

        Path v2 = Files.createDirectory(dir.resolve("..2026_11_27_02_00_00.2"));
        Issued second = writeServer(v2);
        Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        Poll.until(PICKED_UP, Duration.ofMillis(100), "the certificate behind the new ..data on a new connection",
                () -> presentedToNewConnection(exporter), second.certificate().getSerialNumber()::equals, () -> "");
    }

    @Test
    void aReplacedClientCaDecidesWhichClientCertificatesAreAccepted() throws Exception {
        writeServer(dir);
        Issued oldClientCa = TestCertificates.ca("clients-2025");
        Issued newClientCa = TestCertificates.ca("clients-2026");
        Issued oldClient = TestCertificates.client(oldClientCa, "prometheus-2025");
        Issued newClient = TestCertificates.client(newClientCa, "prometheus-2026");
        TestCertificates.pem(dir.resolve("clients.crt"), oldClientCa.certificate());
        Exporter exporter = start("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_ca_file: clients.crt
                """);
        String url = "https://localhost:" + exporter.port() + "/-/healthy";
        assertThat(get(client(TestCertificates.clientContext(ca, oldClient)), url).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> get(client(TestCertificates.clientContext(ca, newClient)), url))
                .isInstanceOf(IOException.class);

        // Rotated by rename, as most tools write files: a new inode in one step.
        TestCertificates.pem(dir.resolve("clients.crt.new"), newClientCa.certificate());
        Files.move(dir.resolve("clients.crt.new"), dir.resolve("clients.crt"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);

        SSLContext newClientTls = TestCertificates.clientContext(ca, newClient);
        Poll.until(PICKED_UP, Duration.ofMillis(100), "the new client CA on new connections", () -> {
            try {
                return get(client(newClientTls), url).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, status -> status == 200, () -> "");
        assertThatThrownBy(() -> get(client(TestCertificates.clientContext(ca, oldClient)), url))
                .isInstanceOf(IOException.class);
    }
}
