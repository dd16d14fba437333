package dev.crcexporter.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.crcexporter.testing.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The on-demand context is the JDK's default one: certificates are still checked against the default trust store. */
class OnDemandTlsTest {

    @Test
    void anHttpsServerWhoseCertificateTheDefaultTrustStoreDoesNotKnowIsRefused() throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("test-ca");
        TestCertificates.Issued server = TestCertificates.server(ca, TestCertificates.rsa());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", server.key(), "pw".toCharArray(),
                new Certificate[] {server.certificate(), ca.certificate()});
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "pw".toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(managers.getKeyManagers(), null, null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        https.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        https.start();
        try {
            HttpClient client = OnDemandTls.apply(HttpClient.newBuilder()).connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("https://localhost:" + https.getAddress().getPort() + "/"))
                    .timeout(Duration.ofSeconds(10)).build();

            assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasStackTraceContaining("unable to find valid certification path");
            assertThat(client.sslContext().getDefaultSSLParameters().getProtocols())
                    .as("after use, the context is the default one")
                    .isEqualTo(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
        } finally {
            https.stop(0);
        }
    }
}
