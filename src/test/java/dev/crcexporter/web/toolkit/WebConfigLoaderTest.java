package dev.crcexporter.web.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.config.ConfigException;
import dev.crcexporter.testing.TestCertificates.Issued;
import dev.crcexporter.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.security.crypto.bcrypt.BCrypt;

class WebConfigLoaderTest {
    @TempDir
    static Path dir;
    static String hash;

    @BeforeAll
    static void certificates() throws Exception {
        Issued ca = TestCertificates.ca("test-ca");
        KeyPair rsa = TestCertificates.rsa();
        Issued server = TestCertificates.server(ca, rsa);
        TestCertificates.pem(dir.resolve("server.crt"), server.certificate());
        TestCertificates.pem(dir.resolve("server-pkcs1.key"), rsa);            // BEGIN RSA PRIVATE KEY
        TestCertificates.pem(dir.resolve("server-pkcs8.key"), rsa.getPrivate()); // BEGIN PRIVATE KEY
        TestCertificates.pem(dir.resolve("other.key"), TestCertificates.rsa());
        TestCertificates.pem(dir.resolve("ca.crt"), ca.certificate());
        Files.writeString(dir.resolve("garbage.pem"), "not a pem\n");
        hash = BCrypt.hashpw("s3cret", BCrypt.gensalt(4));
    }

    private static WebConfig load(String yaml) throws Exception {
        return WebConfigLoader.load(Files.writeString(dir.resolve("web.yml"), yaml));
    }

    @Test
    void readsTheExporterToolkitFormat() throws Exception {
        WebConfig config = load("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server-pkcs1.key
                  client_ca_file: ca.crt
                  min_version: TLS13
                http_server_config:
                  headers:
                    X-Frame-Options: deny
                    Strict-Transport-Security: max-age=31536000
                basic_auth_users:
                  alice: "%s"
                  bob: "%s"
                """.formatted(hash.replace("$2a$", "$2y$"), hash.replace("$2a$", "$2b$")));

        assertThat(config.tls()).hasValueSatisfying(tls -> {
            assertThat(tls.protocols()).containsExactly("TLSv1.3");
            // exporter-toolkit's default once a client CA is given
            assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.RequireAndVerifyClientCert);
            assertThat(tls.material().clientCas()).isPresent();
        });
        assertThat(config.basicAuthUsers()).containsOnlyKeys("alice", "bob");
        assertThat(config.headers()).containsEntry("X-Frame-Options", "deny");
        assertThat(config.toString()).doesNotContain(hash.substring(7));
    }

    @Test
    void pkcs8KeysWorkTooAndTlsDefaultsToVersionOnePointTwoAndUp() throws Exception {
        WebConfig config = load("tls_server_config:\n  cert_file: server.crt\n  key_file: server-pkcs8.key\n");
        assertThat(config.tls().orElseThrow().protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(config.tls().orElseThrow().clientAuth()).isEqualTo(TlsSettings.ClientAuth.NoClientCert);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            tls_server_config: {cert_file: missing.crt, key_file: server-pkcs1.key}             \
            | tls_server_config.cert_file: ${dir}/missing.crt cannot be read: no such file
            tls_server_config: {cert_file: garbage.pem, key_file: server-pkcs1.key}             \
            | tls_server_config.cert_file: ${dir}/garbage.pem is not a PEM certificate
            tls_server_config: {cert_file: server.crt, key_file: garbage.pem}                   \
            | tls_server_config.key_file: ${dir}/garbage.pem holds no unencrypted PEM private key (PKCS#8, \
            PKCS#1 or SEC1; encrypted keys are not supported)
            tls_server_config: {cert_file: server.crt, key_file: other.key}                     \
            | tls_server_config.key_file does not belong to the certificate of cert_file
            tls_server_config: {key_file: server-pkcs1.key}                                     \
            | tls_server_config.cert_file is required
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, min_version: TLS14} \
            | tls_server_config.min_version must be one of TLS10, TLS11, TLS12, TLS13 (got "TLS14")
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, min_version: TLS13, \
            max_version: TLS12} | tls_server_config.min_version TLS13 is above max_version TLS12
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, client_auth_type: \
            RequireAndVerifyClientCert} \
            | tls_server_config.client_auth_type RequireAndVerifyClientCert needs client_ca_file
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, client_auth_type: Always} \
            | tls_server_config.client_auth_type must be one of [NoClientCert, RequestClientCert, \
            RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert] (got "Always")
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, cipher_suites: [TLS_NOT_A_SUITE]} \
            | tls_server_config.cipher_suites: TLS_NOT_A_SUITE is not supported by this Java runtime, \
            or is disabled in it
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, cipher_suites: \
            [TLS_RSA_WITH_3DES_EDE_CBC_SHA]} \
            | tls_server_config.cipher_suites: TLS_RSA_WITH_3DES_EDE_CBC_SHA is not supported by this Java runtime, \
            or is disabled in it
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, min_version: TLS10} \
            | tls_server_config.min_version TLS10 is disabled in this Java runtime (jdk.tls.disabledAlgorithms in \
            java.security); use TLS12 or TLS13
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, min_version: TLS11, \
            max_version: TLS12} | tls_server_config.min_version TLS11 is disabled in this Java runtime \
            (jdk.tls.disabledAlgorithms in java.security); use TLS12 or TLS13
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, min_version: TLS10, \
            max_version: TLS10} | tls_server_config.min_version TLS10 is disabled in this Java runtime \
            (jdk.tls.disabledAlgorithms in java.security); use TLS12 or TLS13
            tls_server_config: {cert_file: /dev/zero, key_file: server-pkcs1.key}               \
            | tls_server_config.cert_file: /dev/zero is larger than 1 MiB
            tls_server_config: {cert_file: server.crt, key_file: /dev/zero}                     \
            | tls_server_config.key_file: /dev/zero is larger than 1 MiB
            tls_server_config: {cert_file: server.crt, key_file: server-pkcs1.key, client_allowed_sans: [a]} \
            | tls_server_config.client_allowed_sans is not supported by crc-exporter; remove it or restrict clients \
            with client_ca_file
            tls_server_config: {cert_fiel: x} | tls_server_config.cert_fiel is not a known key; did you mean cert_file?
            basic_auth_users: {alice: plaintext-password}                                      \
            | basic_auth_users.alice is not a bcrypt hash ($2y$, $2a$ or $2b$, as `htpasswd -nBC 10 USER` writes it)
            basic_auth_users: {alice: '$1$abc$def'}                                             \
            | basic_auth_users.alice is not a bcrypt hash ($2y$, $2a$ or $2b$, as `htpasswd -nBC 10 USER` writes it)
            http_server_config: {headers: {X-Powered-By: me}}                                  \
            | http_server_config.headers.X-Powered-By is not an allowed header (allowed: Content-Security-Policy, \
            Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection)
            http_server_config: {headers: {X-Frame-Options: allow}}                            \
            | http_server_config.headers.X-Frame-Options must be deny or sameorigin (got "allow")
            basic_auths_users: {}             | basic_auths_users is not a known key; did you mean basic_auth_users?
            """)
    void invalidWebConfigIsRejectedNamingTheKey(String yaml, String message) throws Exception {
        Path file = Files.writeString(dir.resolve("web.yml"), yaml + "\n");
        assertThatThrownBy(() -> WebConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--web.config.file " + file + ": " + message.replace("${dir}", dir.toString()));
    }

    @Test
    void messagesNeverQuoteThePasswordHash() {
        assertThatThrownBy(() -> load("basic_auth_users:\n  alice: \"" + hash.substring(0, 40) + "\"\n"))
                .hasMessageNotContaining(hash.substring(7, 40));
    }

    @Test
    void aFileOverTheLimitIsRejectedNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("huge-web.yml"),
                "basic_auth_users:\n" + "  # padding\n".repeat(100_000));
        assertThat(Files.size(file)).isGreaterThan(1024 * 1024);
        assertThatThrownBy(() -> WebConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage("--web.config.file " + file + " is larger than 1 MiB");
    }

    @Test
    void anEndlessDeviceIsRejectedWithoutReadingItAll() {
        assertThatThrownBy(() -> WebConfigLoader.load(Path.of("/dev/zero"))).isInstanceOf(ConfigException.class)
                .hasMessage("--web.config.file /dev/zero is larger than 1 MiB");
    }
}
