package dev.crcexporter.web;

import java.security.KeyStore;
import java.util.List;
import java.util.Optional;

/**
 * TLS as Prometheus' exporter-toolkit configures it, turned into JDK terms.
 *
 * @param keyStore         the server certificate chain and its key, in memory
 * @param keyStorePassword the in-memory store's random password
 * @param clientAuth       what to ask of clients
 * @param clientCas        CAs that client certificates must chain to, when verified
 * @param protocols        JDK protocol names from min_version to max_version
 * @param cipherSuites     JDK cipher suite names, or empty for the JDK's defaults
 */
public record TlsSettings(
        KeyStore keyStore,
        char[] keyStorePassword,
        ClientAuth clientAuth,
        Optional<KeyStore> clientCas,
        List<String> protocols,
        List<String> cipherSuites) {

    /** exporter-toolkit's {@code client_auth_type} values (Go's tls.ClientAuthType). */
    public enum ClientAuth {
        NoClientCert(false, false, false),
        RequestClientCert(true, false, false),
        RequireAnyClientCert(false, true, false),
        VerifyClientCertIfGiven(true, false, true),
        RequireAndVerifyClientCert(false, true, true);

        final boolean want;
        final boolean need;
        final boolean verify;

        ClientAuth(boolean want, boolean need, boolean verify) {
            this.want = want;
            this.need = need;
            this.verify = verify;
        }
    }

    @Override
    public String toString() {
        return "TlsSettings[clientAuth=" + clientAuth + ", protocols=" + protocols + "]";
    }
}
