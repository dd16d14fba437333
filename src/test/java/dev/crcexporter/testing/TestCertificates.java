package dev.crcexporter.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made in the test: a CA, a server certificate for localhost/127.0.0.1, client certificates. */
public final class TestCertificates {
    /** A certificate with its key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {}

    private TestCertificates() {}

    public static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    public static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    public static Issued ca(String name) throws Exception {
        KeyPair keys = ec();
        return new Issued(build(name, keys, name, keys.getPrivate(), true), keys.getPrivate());
    }

    /** A server certificate for localhost and 127.0.0.1. */
    public static Issued server(Issued ca, KeyPair keys) throws Exception {
        return new Issued(build("localhost", keys, ca.certificate().getSubjectX500Principal().getName(), ca.key(),
                false, new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")), keys.getPrivate());
    }

    /** A server certificate for the name localhost only: no IP address, as a certificate for a DNS name is. */
    public static Issued serverForLocalhostOnly(Issued ca, KeyPair keys) throws Exception {
        return new Issued(build("localhost", keys, ca.certificate().getSubjectX500Principal().getName(), ca.key(),
                false, new GeneralName(GeneralName.dNSName, "localhost")), keys.getPrivate());
    }

    public static Issued client(Issued ca, String name) throws Exception {
        KeyPair keys = ec();
        return new Issued(build(name, keys, ca.certificate().getSubjectX500Principal().getName(), ca.key(), false),
                keys.getPrivate());
    }

    private static X509Certificate build(String subject, KeyPair keys, String issuer, PrivateKey issuerKey,
            boolean isCa, GeneralName... serverNames) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name(issuer.startsWith("CN=") ? issuer : "CN=" + issuer),
                BigInteger.valueOf(new SecureRandom().nextInt(Integer.MAX_VALUE)),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))),
                new X500Name("CN=" + subject), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (serverNames.length > 0) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(serverNames));
        }
        String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }

    /** Writes objects as PEM; a java.security.PrivateKey becomes PKCS#8, a KeyPair becomes PKCS#1/SEC1. */
    public static Path pem(Path file, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                // JcaMiscPEMGenerator would write an EC private key as SEC1 without its curve, which nothing reads.
                writer.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null)
                        : new JcaMiscPEMGenerator(object));
            }
        }
        return Files.writeString(file, text.toString());
    }

    /**
     * Presents the client certificate whatever CAs the server names, so a test can show that the server
     * itself rejects a certificate from a foreign CA (the JDK would otherwise quietly send none).
     */
    private static javax.net.ssl.X509KeyManager alwaysPresent(javax.net.ssl.X509KeyManager keys) {
        return new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return new String[] {"client"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers,
                    java.net.Socket socket) {
                return "client";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                    javax.net.ssl.SSLEngine engine) {
                return "client";
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return keys.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return keys.getPrivateKey(alias);
            }
        };
    }

    /** A client context that trusts {@code ca} and, when given, presents {@code clientCert}. */
    public static SSLContext clientContext(Issued ca, Issued clientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", clientCert.key(), "pw".toCharArray(),
                    new java.security.cert.Certificate[] {clientCert.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "pw".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        javax.net.ssl.KeyManager[] keyManagers = kmf == null ? null
                : new javax.net.ssl.KeyManager[] {
                        alwaysPresent((javax.net.ssl.X509KeyManager) kmf.getKeyManagers()[0])};
        context.init(keyManagers, tmf.getTrustManagers(), null);
        return context;
    }
}
