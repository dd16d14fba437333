package dev.crcexporter.web.toolkit;

import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;

/** The one listening connector: plain HTTP/1.1, or TLS with the settings of the web config file
 * (its certificate files read again when they change). */
final class Connectors {
    private Connectors() {}

    static Connector create(Server server, HttpConfiguration http, ListenAddress listen,
            Optional<RotatingSslContextFactory> tls) {
        ServerConnector connector;
        if (tls.isEmpty()) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            // No check of the Host header against the certificate's names (Jetty's default answers 400 "Invalid SNI"):
            // Prometheus scrapes pods by IP with tls_config.server_name, or with insecure_skip_verify, and
            // exporter-toolkit serves them. Whoever accepts the certificate decides which names it may be used for.
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            secure.setSniRequired(false);
            https.addCustomizer(secure);
            HttpConnectionFactory httpFactory = new HttpConnectionFactory(https);
            connector = new ServerConnector(server, new SslConnectionFactory(tls.get(), httpFactory.getProtocol()),
                    httpFactory);
        }
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        return connector;
    }
}
