package dev.crcexporter.web.toolkit;

import java.security.GeneralSecurityException;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * What this Java runtime will really negotiate. Its SSL engines list TLS 1.0 and 1.1 as supported, so
 * Jetty enables them when asked, yet {@code jdk.tls.disabledAlgorithms} (java.security) refuses them at
 * every handshake: a web config asking for them would promise what is never served.
 */
final class TlsRuntime {
    private TlsRuntime() {}

    /** True when the runtime supports {@code protocol} ("TLSv1.2") and does not disable it. */
    static boolean offers(String protocol) {
        return Arrays.asList(supported().getSupportedSSLParameters().getProtocols()).contains(protocol)
                && !disabled(protocol);
    }

    /**
     * True when the runtime supports the cipher suite and does not disable it (the supported list leaves out disabled
     * suites).
     */
    static boolean offersCipherSuite(String name) {
        return Arrays.asList(supported().getSupportedSSLParameters().getCipherSuites()).contains(name);
    }

    private static boolean disabled(String protocol) {
        String property = Security.getProperty("jdk.tls.disabledAlgorithms");
        if (property == null) {
            return false;
        }
        // Entries are algorithm names ("TLSv1") or constraints ("DH keySize < 1024"): protocols appear as whole
        // entries.
        List<String> entries = Arrays.stream(property.split(",")).map(e -> e.trim().toLowerCase(Locale.ROOT)).toList();
        return entries.contains(protocol.toLowerCase(Locale.ROOT));
    }

    private static SSLContext supported() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime offers no TLS", e);
        }
    }
}
