package dev.crcexporter.web.toolkit;

import java.util.List;

/**
 * TLS as Prometheus' exporter-toolkit configures it, turned into JDK terms.
 *
 * @param files        the PEM files, read again when they change
 * @param clientAuth   what to ask of clients
 * @param protocols    JDK protocol names from min_version to max_version
 * @param cipherSuites JDK cipher suite names, or empty for the JDK's defaults
 * @param material     what the files held when last read successfully
 */
public record TlsSettings(
        TlsFiles files,
        ClientAuth clientAuth,
        List<String> protocols,
        List<String> cipherSuites,
        TlsMaterial material) {

    public TlsSettings {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /** The same settings with what the files hold now. */
    TlsSettings withMaterial(TlsMaterial newMaterial) {
        return new TlsSettings(files, clientAuth, protocols, cipherSuites, newMaterial);
    }

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
        return "TlsSettings[clientAuth=" + clientAuth + ", protocols=" + protocols + ", " + material + "]";
    }
}
