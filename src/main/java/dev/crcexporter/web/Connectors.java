package dev.crcexporter.web;

import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The one listening connector: plain HTTP/1.1, or TLS with the settings of the web config file. */
final class Connectors {
    private Connectors() {}

    static Connector create(Server server, HttpConfiguration http, ListenAddress listen, Optional<TlsSettings> tls) {
        HttpConnectionFactory httpFactory = new HttpConnectionFactory(http);
        ServerConnector connector = tls.isEmpty()
                ? new ServerConnector(server, httpFactory)
                : new ServerConnector(server, new SslConnectionFactory(sslContext(tls.get()), httpFactory.getProtocol()), httpFactory);
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        return connector;
    }

    private static SslContextFactory.Server sslContext(TlsSettings tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(new String(tls.keyStorePassword()));
        ssl.setKeyManagerPassword(new String(tls.keyStorePassword()));
        ssl.setIncludeProtocols(tls.protocols().toArray(String[]::new));
        // Jetty excludes old protocols by default; the configured range is the whole truth.
        ssl.setExcludeProtocols();
        if (!tls.cipherSuites().isEmpty()) {
            ssl.setIncludeCipherSuites(tls.cipherSuites().toArray(String[]::new));
        }
        TlsSettings.ClientAuth clientAuth = tls.clientAuth();
        ssl.setNeedClientAuth(clientAuth.need);
        ssl.setWantClientAuth(clientAuth.want);
        if (clientAuth.verify) {
            ssl.setTrustStore(tls.clientCas().orElseThrow());
        } else if (clientAuth.need || clientAuth.want) {
            // RequestClientCert and RequireAnyClientCert ask for a certificate without verifying it (as Go does).
            ssl.setTrustAll(true);
        }
        return ssl;
    }
}
