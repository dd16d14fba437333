package dev.crcexporter.web.toolkit;

import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;

/** The one listening connector: plain HTTP/1.1, or TLS with the settings of the web config file
 * (its certificate files read again when they change). */
final class Connectors {
    private Connectors() {}

    static Connector create(Server server, HttpConfiguration http, ListenAddress listen, Optional<RotatingSslContextFactory> tls) {
        HttpConnectionFactory httpFactory = new HttpConnectionFactory(http);
        ServerConnector connector = tls.isEmpty()
                ? new ServerConnector(server, httpFactory)
                : new ServerConnector(server, new SslConnectionFactory(tls.get(), httpFactory.getProtocol()), httpFactory);
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        return connector;
    }
}
