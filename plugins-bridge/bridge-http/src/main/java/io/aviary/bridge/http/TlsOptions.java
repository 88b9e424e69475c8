package io.aviary.bridge.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * EMQX's {@code ssl} options of a connector as a JDK SSLContext and SSLParameters: cacertfile
 * (a PEM file or the PEM text; the JDK's trust store when left out), verify (verify_none trusts
 * any certificate and any host name), certfile/keyfile for a client certificate (PKCS#8 PEM),
 * versions and server_name_indication. Bad files are refused naming the field.
 */
record TlsOptions(SSLContext context, SSLParameters parameters) {

    static TlsOptions of(Object ssl) {
        if (!(ssl instanceof Map<?, ?> map) || !Boolean.TRUE.equals(map.get("enable"))) {
            return null;
        }
        try {
            boolean verify = !"verify_none".equals(map.get("verify"));
            TrustManager[] trust = verify ? trustManagers((String) map.get("cacertfile")) : new TrustManager[] {TRUST_ALL};
            KeyManagerFactory keys = null;
            if (map.get("certfile") != null) {
                keys = keyManagers((String) map.get("certfile"), (String) map.get("keyfile"));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust, null);
            SSLParameters params = context.getDefaultSSLParameters();
            if (map.get("versions") instanceof List<?> versions && !versions.isEmpty()) {
                List<String> protocols = new ArrayList<>();
                for (Object v : versions) {
                    protocols.add(switch (v.toString().toLowerCase(Locale.ROOT)) {
                        case "tlsv1.3" -> "TLSv1.3";
                        case "tlsv1.2" -> "TLSv1.2";
                        case "tlsv1.1" -> "TLSv1.1";
                        default -> "TLSv1";
                    });
                }
                params.setProtocols(protocols.toArray(new String[0]));
            }
            Object sni = map.get("server_name_indication");
            if (sni instanceof String name && !name.equals("disable") && !name.isBlank()) {
                params.setServerNames(List.of(new javax.net.ssl.SNIHostName(name)));
            }
            return new TlsOptions(context, params);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("field 'ssl': " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(String cacert) throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (cacert == null || cacert.isBlank()) {
            tmf.init((KeyStore) null);
            return tmf.getTrustManagers();
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate c : certificates(cacert, "ssl.cacertfile")) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private static KeyManagerFactory keyManagers(String certfile, String keyfile)
            throws GeneralSecurityException, IOException {
        if (keyfile == null) {
            throw new IllegalArgumentException("field 'ssl.keyfile' is required with ssl.certfile");
        }
        Collection<? extends Certificate> chain = certificates(certfile, "ssl.certfile");
        String pem = text(keyfile, "ssl.keyfile");
        if (!pem.contains("BEGIN PRIVATE KEY")) {
            throw new IllegalArgumentException("field 'ssl.keyfile' must be an unencrypted PKCS#8 PEM key"
                    + " (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = null;
        for (String alg : List.of("RSA", "EC", "Ed25519")) {
            try {
                key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("field 'ssl.keyfile': not an RSA, EC or Ed25519 key");
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        return kmf;
    }

    private static Collection<? extends Certificate> certificates(String fileOrPem, String field)
            throws GeneralSecurityException, IOException {
        String pem = text(fileOrPem, field);
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("field '" + field + "' holds no PEM certificate");
        }
        return certs;
    }

    /** The PEM text itself, or the file's. */
    private static String text(String fileOrPem, String field) {
        if (fileOrPem.contains("-----BEGIN")) {
            return fileOrPem;
        }
        try {
            return Files.readString(Path.of(fileOrPem), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("field '" + field + "': cannot read " + fileOrPem + " (" + e + ")");
        }
    }

    /** verify_none: any certificate, any host name (the extended manager skips endpoint identification). */
    private static final X509ExtendedTrustManager TRUST_ALL = new X509ExtendedTrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
