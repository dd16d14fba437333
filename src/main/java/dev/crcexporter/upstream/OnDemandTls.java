package dev.crcexporter.upstream;

import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default TLS, set up at the first https request instead of when an {@link HttpClient} is built.
 * {@code HttpClient.newBuilder().build()} asks for {@link SSLContext#getDefault()} and its default parameters at
 * once, which loads and initialises the whole JSSE provider (about 550 classes, the trust store, a seeded
 * SecureRandom) even when every request goes to plain http. With this context and explicit parameters, a client
 * talking http never loads them; one talking https gets exactly the default context, with hostname
 * verification and the default trust store, at its first connection.
 *
 * <p>What it saves (issue 25; one account of the fake upstream, {@code deploy/jvm.options}, after {@code wrk} on
 * {@code /metrics}; the other jar built with {@code HttpClient.newBuilder()} here): RSS 92.4 MiB against 100.5 MiB
 * (median of 3 runs each), about 4,930 classes loaded against 5,510; {@code JAR=... bench/rss-breakdown.sh} puts
 * the difference in metaspace (+2.8 MiB), heap (+2.4 MiB) and symbols. The figures are in bench/README.md.
 */
final class OnDemandTls {
    /** What the JDK 17+ client enables by default; the cipher suites stay the provider's defaults (null). */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private OnDemandTls() {}

    static HttpClient.Builder apply(HttpClient.Builder builder) {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        return builder.sslContext(new OnDemandContext()).sslParameters(parameters);
    }

    private static final class OnDemandContext extends SSLContext {
        OnDemandContext() {
            super(new DefaultOnFirstUse(), null, "Default");
        }
    }

    /** Every call goes to the JDK's default context, looked up (and so initialised) by the first call. */
    private static final class DefaultOnFirstUse extends SSLContextSpi {
        private volatile SSLContext delegate;

        private SSLContext delegate() {
            SSLContext context = delegate;
            if (context == null) {
                try {
                    context = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("the JDK has no default TLS context", e);
                }
                delegate = context;
            }
            return context;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("the default context is initialised by the JDK");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate().getSupportedSSLParameters();
        }
    }
}
