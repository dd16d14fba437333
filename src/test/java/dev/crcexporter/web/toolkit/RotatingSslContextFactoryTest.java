package dev.crcexporter.web.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.testing.LogCapture;
import dev.crcexporter.testing.TestCertificates.Issued;
import dev.crcexporter.testing.TestCertificates;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate files read again on a new connection: at most once a second, kept when broken, warned once. */
class RotatingSslContextFactoryTest {
    private static final long SECOND = 1_000_000_000L;
    static Issued ca;

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(42 * SECOND);
    private RotatingSslContextFactory factory;

    @BeforeAll
    static void authority() throws Exception {
        ca = TestCertificates.ca("rotation-ca");
    }

    @AfterEach
    void stop() throws Exception {
        if (factory != null) {
            factory.stop();
        }
    }

    /** A new server certificate and its key, written over the files in place. */
    private Issued writeServer() throws Exception {
        KeyPair keys = TestCertificates.ec();
        Issued server = TestCertificates.server(ca, keys);
        TestCertificates.pem(dir.resolve("server.crt"), server.certificate());
        TestCertificates.pem(dir.resolve("server.key"), keys.getPrivate());
        return server;
    }

    private RotatingSslContextFactory start(String extraTls) throws Exception {
        Path web = Files.writeString(dir.resolve("web.yml"),
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" + extraTls);
        factory = new RotatingSslContextFactory(WebConfigLoader.load(web).tls().orElseThrow(), nanos::get);
        factory.start();
        return factory;
    }

    /** The factory's own lines (the capture also holds Jetty's debug lines). */
    private static List<String> ours(LogCapture logs) {
        return logs.logfmtLines().stream().filter(l -> l.contains("logger=RotatingSslContextFactory")).toList();
    }

    private BigInteger served() throws Exception {
        // What Jetty builds the context of new connections from.
        X509Certificate inJetty = (X509Certificate) factory.getKeyStore().getCertificate("server");
        return inJetty.getSerialNumber();
    }

    @Test
    void aRotatedCertificateIsPickedUpByTheFirstConnectionAfterTheCheckInterval() throws Exception {
        Issued first = writeServer();
        start("");
        assertThat(served()).isEqualTo(first.certificate().getSerialNumber());

        Issued second = writeServer();
        nanos.addAndGet(SECOND / 2);
        factory.newSSLEngine("127.0.0.1", 1234);
        assertThat(served()).as("not yet: checked at most once per interval")
                .isEqualTo(first.certificate().getSerialNumber());

        try (LogCapture logs = new LogCapture()) {
            nanos.addAndGet(SECOND / 2);
            factory.newSSLEngine("127.0.0.1", 1234);
            assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
            assertThat(ours(logs)).singleElement().asString()
                    .contains("level=info", "TLS files changed: new connections get the new certificate",
                            "CN=localhost");
        }
    }

    @Test
    void filesRewrittenWithTheSameContentChangeNothing() throws Exception {
        writeServer();
        start("");
        KeyStore before = factory.getKeyStore();
        Files.write(dir.resolve("server.crt"), Files.readAllBytes(dir.resolve("server.crt")));
        try (LogCapture logs = new LogCapture()) {
            nanos.addAndGet(SECOND);
            factory.checkFiles();
            assertThat(factory.getKeyStore()).as("Jetty's context was not rebuilt").isSameAs(before);
            assertThat(ours(logs)).isEmpty();
        }
    }

    @Test
    void filesThatCannotBeUsedKeepTheLastGoodCertificateWithOneWarningPerProblem() throws Exception {
        Issued first = writeServer();
        start("");
        String firstKeyPem = Files.readString(dir.resolve("server.key"));
        try (LogCapture logs = new LogCapture()) {
            // Half-way through a rotation: the new certificate is there, its key not yet.
            KeyPair next = TestCertificates.ec();
            Issued second = TestCertificates.server(ca, next);
            TestCertificates.pem(dir.resolve("server.crt"), second.certificate());
            for (int i = 0; i < 5; i++) {
                nanos.addAndGet(SECOND);
                factory.checkFiles();
            }
            assertThat(served()).isEqualTo(first.certificate().getSerialNumber());
            assertThat(ours(logs)).singleElement().asString().contains("level=warn",
                    "TLS files changed but cannot be used: new connections keep the last good certificate",
                    "tls_server_config.key_file does not belong to the certificate of cert_file");

            // The key arrives: the new pair is served.
            TestCertificates.pem(dir.resolve("server.key"), next.getPrivate());
            nanos.addAndGet(SECOND);
            factory.checkFiles();
            assertThat(served()).isEqualTo(second.certificate().getSerialNumber());

            // A file that disappears: the pair in force stays, one warning naming the file.
            Files.delete(dir.resolve("server.key"));
            for (int i = 0; i < 3; i++) {
                nanos.addAndGet(SECOND);
                factory.checkFiles();
            }
            assertThat(served()).isEqualTo(second.certificate().getSerialNumber());
            List<String> lines = ours(logs);
            assertThat(lines).hasSize(3);
            assertThat(lines.get(2)).contains("level=warn", "tls_server_config.key_file: " + dir.resolve("server.key")
                    + " cannot be read: no such file");
            // Not a line of either key's PEM reaches the log.
            String secondKeyPem = TestCertificates.pem(dir.resolve("probe.key"), next.getPrivate()).toString();
            for (String pem : List.of(firstKeyPem, Files.readString(Path.of(secondKeyPem)))) {
                pem.lines().filter(l -> !l.startsWith("-----"))
                        .forEach(l -> assertThat(String.join("\n", logs.lines())).doesNotContain(l));
            }
        }
    }

    @Test
    void newSettingsFromAReloadApplyToTheNextConnections() throws Exception {
        writeServer();
        start("");
        assertThat(factory.getIncludeProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        Path web = Files.writeString(dir.resolve("web2.yml"),
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n");
        factory.apply(WebConfigLoader.load(web).tls().orElseThrow());
        assertThat(factory.getIncludeProtocols()).containsExactly("TLSv1.3");
        assertThat(factory.getSslContext().createSSLEngine().getSSLParameters()).isNotNull();
        assertThat(factory.newSSLEngine().getEnabledProtocols()).containsExactly("TLSv1.3");
    }
}
