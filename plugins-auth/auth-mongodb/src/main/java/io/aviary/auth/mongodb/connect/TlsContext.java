package io.aviary.auth.mongodb.connect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context of the connection to MongoDB, from EMQX's {@code ssl} object: the CAs of
 * {@code cacertfile} (a PEM file's path, relative to the installation directory, or the PEM text), or
 * the JVM's CAs without it; {@code verify_none} trusts any certificate (the driver then also skips
 * the host name check).
 */
public final class TlsContext {
    private TlsContext() {
    }

    /** @return null when TLS is off */
    public static SSLContext of(MongoSettings.Tls tls, Path home) {
        if (!tls.enable()) {
            return null;
        }
        try {
            TrustManager[] trust = null; // the JVM's CAs
            if (!tls.verifyPeer()) {
                trust = new TrustManager[] {new TrustAny()};
            } else if (tls.cacertfile() != null) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                try (InputStream in = pem(tls.cacertfile(), home)) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca-" + i++, c);
                    }
                }
                if (i == 0) {
                    throw new IllegalArgumentException("ssl.cacertfile: holds no certificate");
                }
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init(store);
                trust = f.getTrustManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("ssl.cacertfile: " + e.getMessage(), e);
        }
    }

    private static InputStream pem(String cacertfile, Path home) throws IOException {
        if (cacertfile.contains("-----BEGIN")) {
            return new ByteArrayInputStream(cacertfile.getBytes(StandardCharsets.US_ASCII));
        }
        return Files.newInputStream(home == null ? Path.of(cacertfile) : home.resolve(cacertfile));
    }

    /** verify_none: the operator chose to trust whatever certificate the server shows. */
    private static final class TrustAny implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
