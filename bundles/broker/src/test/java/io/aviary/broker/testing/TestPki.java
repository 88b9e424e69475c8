package io.aviary.broker.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI generated at test time with Bouncy Castle: a CA, server certificates for
 * localhost / 127.0.0.1 and client certificates, written as PEM files into a folder, the way an
 * operator hands them to a TLS listener (and to mosquitto_pub's --cafile / --cert / --key).
 */
public final class TestPki {
    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;
    private long serial = System.nanoTime();

    public TestPki(Path dir, String caName) {
        try {
            this.dir = Files.createDirectories(dir);
            this.caKeys = keys();
            this.ca = sign(caName, caKeys, new X500Name("CN=" + caName), caKeys, true, null);
            this.caFile = write(caName + ".crt", pem(ca));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA certificate's PEM file. */
    public Path caFile() {
        return caFile;
    }

    /** An issued certificate: its PEM files and, for Java clients, the objects themselves. */
    public record Issued(Path cert, Path key, X509Certificate certificate, java.security.PrivateKey privateKey) {
        /** A KeyManagerFactory presenting this certificate (a Java client's side of mTLS). */
        public javax.net.ssl.KeyManagerFactory keyManagerFactory() {
            try {
                java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("me", privateKey, new char[0], new java.security.cert.Certificate[] {certificate});
                javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory
                        .getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                return kmf;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A TrustManagerFactory trusting this CA only (a Java client's trust store). */
    public javax.net.ssl.TrustManagerFactory trustManagerFactory() {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory
                    .getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate for localhost and 127.0.0.1. */
    public Issued server(String name) {
        return issue(name, "CN=localhost,O=Aviary test", null, true);
    }

    /** A client certificate with this subject ("CN=dev-1,O=Acme"). */
    public Issued client(String name, String subjectDn) {
        return issue(name, subjectDn, null, false);
    }

    /** A certificate and key pair issued by this CA; the key is encrypted when keyPassword is given. */
    public Issued issue(String name, String subjectDn, String keyPassword, boolean server) {
        try {
            KeyPair k = keys();
            X509Certificate cert = sign(subjectDn, k, new X500Name(ca.getSubjectX500Principal().getName()), caKeys,
                    false, server ? new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}) : null);
            Path crt = write(name + ".crt", pem(cert));
            Path key = write(name + ".key", keyPem(k, keyPassword));
            return new Issued(crt, key, cert, k.getPrivate());
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate sign(String subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                 boolean isCa, GeneralNames san)
            throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorCreationException {
        long now = System.currentTimeMillis();
        X500Name subjectName = new X500Name(subject.contains("=") ? subject : "CN=" + subject);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial++),
                new Date(now - 60_000), new Date(now + 86_400_000L), subjectName, subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256, new SecureRandom());
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private static String keyPem(KeyPair k, String password)
            throws IOException, org.bouncycastle.operator.OperatorCreationException {
        OutputEncryptor enc = password == null ? null
                : new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .setPassword(password.toCharArray()).build();
        return pem(new JcaPKCS8Generator(k.getPrivate(), enc).generate());
    }

    private Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
