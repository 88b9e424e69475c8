package io.aviary.plugin.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of EMQX's {@code ssl} object (enable, verify, cacertfile, certfile, keyfile) as
 * a JDK SSLContext, read from PEM files when the connector is opened, so a missing or unreadable
 * file is reported naming its field. Shared by the Redis plugins and bridge-rabbitmq
 * (copied in with bnd -conditionalpackage).
 */
public record ClientTls(SSLContext context, boolean verifyPeer) {

    /** Null when {@code ssl.enable} is not true. */
    public static ClientTls from(Map<String, Object> ssl) {
        if (!ConfigValues.bool(ssl, "enable", false)) {
            return null;
        }
        boolean verify = "verify_peer".equals(ConfigValues.string(ssl, "verify", "verify_none"));
        try {
            TrustManager[] trust = verify ? trustManagers(ConfigValues.string(ssl, "cacertfile", ""))
                    : new TrustManager[] {new TrustAll()};
            KeyManagerFactory keys = keyManagers(ConfigValues.string(ssl, "certfile", ""), ConfigValues.string(ssl, "keyfile", ""));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys == null ? null : keys.getKeyManagers(), trust, null);
            return new ClientTls(ctx, verify);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("field 'ssl': " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(String caFile) throws GeneralSecurityException {
        if (caFile.isEmpty()) {
            return null; // the JDK's CAs
        }
        KeyStore store = emptyStore();
        int i = 0;
        for (Certificate c : certificates("ssl.cacertfile", caFile)) {
            store.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    private static KeyManagerFactory keyManagers(String certFile, String keyFile) throws GeneralSecurityException {
        if (certFile.isEmpty() && keyFile.isEmpty()) {
            return null;
        }
        if (certFile.isEmpty() || keyFile.isEmpty()) {
            throw new IllegalArgumentException("field 'ssl': certfile and keyfile go together");
        }
        KeyStore store = emptyStore();
        Certificate[] chain = certificates("ssl.certfile", certFile).toArray(new Certificate[0]);
        store.setKeyEntry("client", privateKey(keyFile), new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        return kmf;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }

    private static Collection<? extends Certificate> certificates(String field, String file) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("field '" + field + "': no certificate in " + file);
            }
            return certs;
        } catch (IOException e) {
            throw new IllegalArgumentException("field '" + field + "': cannot read " + file + ": " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(String file) throws GeneralSecurityException {
        String pem;
        try {
            pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("field 'ssl.keyfile': cannot read " + file + ": " + e.getMessage());
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < 0) {
            throw new IllegalArgumentException("field 'ssl.keyfile': " + file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new IllegalArgumentException("field 'ssl.keyfile': unsupported key in " + file);
    }

    /** verify_none: EMQX's default for client connections; the channel is encrypted but the peer is not checked. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
