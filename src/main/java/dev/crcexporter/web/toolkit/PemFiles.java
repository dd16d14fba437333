package dev.crcexporter.web.toolkit;

import dev.crcexporter.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads PEM certificates and private keys (PKCS#8, PKCS#1 RSA, SEC1 EC) as Go's crypto/tls accepts them. */
final class PemFiles {
    private PemFiles() {}

    /** The certificates in {@code bytes}, read from {@code file} (named with {@code key} in messages). */
    static List<X509Certificate> certificates(byte[] bytes, Path file, String key) throws ConfigException {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new ConfigException(key + ": " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new ConfigException(key + ": " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key + ": " + file + " is not a PEM certificate");
        }
    }

    /** The private key in {@code bytes}, read from {@code file} (named with {@code key} in messages). */
    static PrivateKey privateKey(byte[] bytes, Path file, String key) throws ConfigException {
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.US_ASCII);
                PEMParser pem = new PEMParser(reader)) {
            Object object = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new ConfigException(key + ": " + file + " holds no unencrypted PEM private key"
                    + " (PKCS#8, PKCS#1 or SEC1; encrypted keys are not supported)");
        } catch (IOException | RuntimeException e) {
            // Never the parser's message: it could quote key material.
            throw new ConfigException(key + ": " + file + " cannot be read as a PEM private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Proves that the key belongs to the certificate by signing and verifying a probe. */
    static boolean matches(PrivateKey privateKey, Certificate certificate) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // cannot probe: the TLS handshake will tell
        }
        try {
            byte[] probe = "crc-exporter key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
