package dev.crcexporter.web.toolkit;

import dev.crcexporter.config.ConfigException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's TLS context, with the certificate, key and client CAs read again when their files change, as
 * exporter-toolkit does: a rotated certificate is served to new connections without a restart or a reload, and
 * established connections keep theirs. A new connection looks at the files at most once per {@link #CHECK_INTERVAL};
 * only a change of content rebuilds the context. Files that cannot be used (a key that no longer matches the
 * certificate half-way through a rotation, a missing file) keep the last good material, with one warning per
 * distinct problem.
 */
final class RotatingSslContextFactory extends SslContextFactory.Server {
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(RotatingSslContextFactory.class);

    private final LongSupplier nanoClock;
    /**
     * Held while the files are checked or settings applied: one at a time, and a connection never waits for a
     * check.
     */
    private final ReentrantLock changing = new ReentrantLock();
    private volatile TlsSettings settings;
    private volatile long nextCheckNanos;
    /**
     * What the last warning was about (a problem's message, or the digest of unusable content); guarded by
     * {@link #changing}.
     */
    private String lastProblem;

    RotatingSslContextFactory(TlsSettings settings, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.settings = settings;
        this.nextCheckNanos = nanoClock.getAsLong() + CHECK_INTERVAL.toNanos();
        configure(settings);
    }

    @Override
    public SSLEngine newSSLEngine() {
        checkFiles();
        return super.newSSLEngine();
    }

    @Override
    public SSLEngine newSSLEngine(String host, int port) {
        checkFiles();
        return super.newSSLEngine(host, port);
    }

    /**
     * New settings from a reloaded web configuration (protocols, cipher suites, client authentication, other
     * files), for the connections accepted from now on.
     */
    void apply(TlsSettings newSettings) throws ConfigException {
        changing.lock();
        try {
            switchTo(newSettings);
            lastProblem = null;
        } finally {
            changing.unlock();
        }
    }

    /** Reads the files again when a check is due and another connection is not checking them already. */
    void checkFiles() {
        long now = nanoClock.getAsLong();
        if (now - nextCheckNanos < 0 || !changing.tryLock()) {
            return;
        }
        try {
            nextCheckNanos = now + CHECK_INTERVAL.toNanos();
            TlsSettings current = settings;
            TlsFiles.Contents contents;
            try {
                contents = current.files().read();
            } catch (ConfigException e) {
                warnOnce(e.getMessage(), e.getMessage());
                return;
            }
            byte[] digest = contents.digest();
            if (Arrays.equals(digest, current.material().digest())) {
                lastProblem = null;
                return;
            }
            try {
                switchTo(current.withMaterial(TlsMaterial.parse(current.files(), contents)));
            } catch (ConfigException e) {
                warnOnce(HexFormat.of().formatHex(digest), e.getMessage());
                return;
            }
            lastProblem = null;
            TlsMaterial material = settings.material();
            LOG.atInfo().setMessage("TLS files changed: new connections get the new certificate")
                    .addKeyValue("certificate", material.certificate().getSubjectX500Principal().getName())
                    .addKeyValue("not_after", material.certificate().getNotAfter().toInstant())
                    .addKeyValue("client_ca", material.clientCas().isPresent())
                    .log();
        } finally {
            changing.unlock();
        }
    }

    private void warnOnce(String problem, String message) {
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            LOG.atWarn()
                    .setMessage("TLS files changed but cannot be used: new connections keep the last good certificate")
                    .addKeyValue("err", message).log();
        }
    }

    /** Rebuilds Jetty's context with {@code next}; on failure the previous settings are put back and stay. */
    private void switchTo(TlsSettings next) throws ConfigException {
        TlsSettings previous = settings;
        try {
            reload(factory -> configure(next));
            settings = next;
        } catch (Exception e) {
            try {
                reload(factory -> configure(previous));
            } catch (Exception again) {
                e.addSuppressed(again);
            }
            throw new ConfigException("tls_server_config cannot be applied (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Every setting, each time: a reload may turn one off as well as on. */
    private void configure(TlsSettings tls) {
        TlsMaterial material = tls.material();
        setKeyStore(material.keyStore());
        setKeyStorePassword(new String(material.keyStorePassword()));
        setKeyManagerPassword(new String(material.keyStorePassword()));
        setIncludeProtocols(tls.protocols().toArray(String[]::new));
        // Jetty excludes old protocols by default; the configured range is the whole truth.
        setExcludeProtocols();
        // None: the JDK's defaults (less Jetty's exclusions of weak suites).
        setIncludeCipherSuites(tls.cipherSuites().toArray(String[]::new));
        TlsSettings.ClientAuth clientAuth = tls.clientAuth();
        setNeedClientAuth(clientAuth.need);
        setWantClientAuth(clientAuth.want);
        setTrustStore(clientAuth.verify ? material.clientCas().orElseThrow() : null);
        // RequestClientCert and RequireAnyClientCert ask for a certificate without verifying it (as Go does).
        setTrustAll(!clientAuth.verify && (clientAuth.need || clientAuth.want));
    }
}
