package dev.crcexporter.web.toolkit;

import dev.crcexporter.config.BoundedFiles;
import dev.crcexporter.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The PEM files that {@code tls_server_config} names. They are read at start, on every reload, and again when
 * their content changes (certificate rotation, see {@link RotatingSslContextFactory}).
 *
 * @param cert     {@code cert_file}: the server's certificate chain
 * @param key      {@code key_file}: its private key
 * @param clientCa {@code client_ca_file}: CAs that client certificates must chain to, when given
 */
record TlsFiles(Path cert, Path key, Optional<Path> clientCa) {
    static final String CERT_KEY = "tls_server_config.cert_file";
    static final String KEY_KEY = "tls_server_config.key_file";
    static final String CLIENT_CA_KEY = "tls_server_config.client_ca_file";

    /** The files' bytes, each read whole and bounded. */
    Contents read() throws ConfigException {
        byte[] clientCaBytes = null;
        byte[] certBytes = read(cert, CERT_KEY);
        byte[] keyBytes = read(key, KEY_KEY);
        if (clientCa.isPresent()) {
            clientCaBytes = read(clientCa.get(), CLIENT_CA_KEY);
        }
        return new Contents(certBytes, keyBytes, Optional.ofNullable(clientCaBytes));
    }

    private static byte[] read(Path file, String key) throws ConfigException {
        try {
            return BoundedFiles.read(file, BoundedFiles.MAX_PEM_BYTES);
        } catch (IOException e) {
            throw new ConfigException(key + ": " + file + " " + BoundedFiles.reason(e));
        }
    }

    /** What the files held when they were read. Never printed: the key's bytes are secret. */
    static final class Contents {
        final byte[] cert;
        final byte[] key;
        final Optional<byte[]> clientCa;

        Contents(byte[] cert, byte[] key, Optional<byte[]> clientCa) {
            this.cert = cert;
            this.key = key;
            this.clientCa = clientCa;
        }

        /** A SHA-256 over every file (each with its length): equal digests, equal files. Kept instead of the bytes. */
        byte[] digest() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (byte[] part : new byte[][] {cert, key, clientCa.orElse(new byte[0])}) {
                    sha.update(Integer.toString(part.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    sha.update((byte) 0);
                    sha.update(part);
                }
                return sha.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }

        @Override
        public String toString() {
            return "TlsFiles.Contents[...]";
        }
    }
}
