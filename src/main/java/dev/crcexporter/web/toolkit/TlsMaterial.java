package dev.crcexporter.web.toolkit;

import dev.crcexporter.config.ConfigException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What the TLS files hold, parsed and checked: the server's key with its chain in an in-memory key store, and the
 * client CAs as a trust store.
 *
 * @param keyStore         the server certificate chain and its key
 * @param keyStorePassword the in-memory store's random password
 * @param clientCas        CAs that client certificates must chain to, when {@code client_ca_file} is given
 * @param certificate      the server's own certificate (the chain's first), for log lines
 * @param digest           of the files' bytes this was made from ({@link TlsFiles.Contents#digest})
 */
record TlsMaterial(KeyStore keyStore, char[] keyStorePassword, Optional<KeyStore> clientCas,
        X509Certificate certificate, byte[] digest) {

    static TlsMaterial read(TlsFiles files) throws ConfigException {
        return parse(files, files.read());
    }

    static TlsMaterial parse(TlsFiles files, TlsFiles.Contents contents) throws ConfigException {
        List<X509Certificate> chain = PemFiles.certificates(contents.cert, files.cert(), TlsFiles.CERT_KEY);
        PrivateKey key = PemFiles.privateKey(contents.key, files.key(), TlsFiles.KEY_KEY);
        if (!PemFiles.matches(key, chain.get(0))) {
            throw new ConfigException(TlsFiles.KEY_KEY + " does not belong to the certificate of cert_file");
        }
        Optional<KeyStore> clientCas = Optional.empty();
        if (contents.clientCa.isPresent()) {
            clientCas = Optional.of(trustStore(PemFiles.certificates(contents.clientCa.get(),
                    files.clientCa().orElseThrow(), TlsFiles.CLIENT_CA_KEY)));
        }
        char[] password = randomPassword();
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("tls_server_config: the key and certificate cannot be combined ("
                    + e.getClass().getSimpleName() + ")");
        }
        return new TlsMaterial(keyStore, password, clientCas, chain.get(0), contents.digest());
    }

    private static KeyStore trustStore(List<X509Certificate> cas) throws ConfigException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(TlsFiles.CLIENT_CA_KEY + " cannot be used (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).toCharArray();
    }

    @Override
    public String toString() {
        return "TlsMaterial[certificate=" + certificate.getSubjectX500Principal() + ", notAfter="
                + certificate.getNotAfter().toInstant() + ", clientCas=" + clientCas.isPresent() + "]";
    }
}
