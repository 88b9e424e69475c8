package io.aviary.bridge.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The connector's {@code ssl} block, EMQX's client TLS fields: enable, cacertfile, certfile, keyfile
 * (a path, or the PEM text itself), verify (verify_peer / verify_none, EMQX's default verify_none),
 * server_name_indication (the name verify_peer checks the certificate against; "disable" = the
 * host), versions. Paho itself sends the server's host name as SNI. Built with the JDK alone: PEM
 * certificates and PKCS#8 keys (RSA or EC).
 */
record TlsSettings(boolean enable, String cacertfile, String certfile, String keyfile, boolean verifyPeer,
        String serverNameIndication, List<String> versions) {

    static final TlsSettings OFF = new TlsSettings(false, null, null, null, false, null, List.of());

    static TlsSettings from(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            return OFF;
        }
        boolean enable = Boolean.parseBoolean(String.valueOf(m.get("enable")));
        String verify = m.get("verify") == null ? "verify_none" : String.valueOf(m.get("verify"));
        List<String> versions = new ArrayList<>();
        if (m.get("versions") instanceof List<?> l) {
            l.forEach(v -> versions.add(String.valueOf(v).replace("tlsv", "TLSv")));
        }
        return new TlsSettings(enable, str(m.get("cacertfile")), str(m.get("certfile")), str(m.get("keyfile")),
                verify.equals("verify_peer"), str(m.get("server_name_indication")), versions);
    }

    private static String str(Object v) {
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v);
    }

    /** verify_peer's host name check, or null under verify_none. */
    HostnameMatch hostnameVerifier(String host) {
        if (!verifyPeer) {
            return null;
        }
        return new HostnameMatch(serverNameIndication == null || serverNameIndication.equals("disable") ? host
                : serverNameIndication);
    }

    /** The socket factory Paho connects with; the versions are set on each socket. */
    SSLSocketFactory socketFactory(String host) {
        try {
            TrustManager[] trust;
            if (!verifyPeer) {
                trust = new TrustManager[] {new TrustAll()};
            } else {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                if (cacertfile == null) {
                    tmf.init((KeyStore) null); // the JDK's CAs
                } else {
                    KeyStore ks = KeyStore.getInstance("PKCS12");
                    ks.load(null, null);
                    int i = 0;
                    for (Certificate c : certificates(cacertfile, "ssl.cacertfile")) {
                        ks.setCertificateEntry("ca" + i++, c);
                    }
                    tmf.init(ks);
                }
                trust = tmf.getTrustManagers();
            }
            KeyManagerFactory kmf = null;
            if (certfile != null || keyfile != null) {
                if (certfile == null || keyfile == null) {
                    throw new IllegalArgumentException("field 'ssl.certfile' and 'ssl.keyfile' go together (a client certificate"
                            + " needs its key)");
                }
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                char[] none = new char[0];
                ks.setKeyEntry("client", privateKey(keyfile), none,
                        certificates(certfile, "ssl.certfile").toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust, null);
            return new Configuring(ctx.getSocketFactory(), parameters(host));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("field 'ssl': " + e.getMessage(), e);
        }
    }

    /**
     * Only the versions: Paho replaces the socket's SSLParameters before the handshake with its own
     * (SNI = the server's host), so server_name_indication is the name {@link HostnameMatch} checks.
     */
    private SSLParameters parameters(String host) {
        SSLParameters p = new SSLParameters();
        if (!versions.isEmpty()) {
            p.setProtocols(versions.toArray(new String[0]));
        }
        return p;
    }

    private static byte[] pem(String fileOrText, String field) throws IOException {
        if (fileOrText.contains("-----BEGIN")) {
            return fileOrText.getBytes(StandardCharsets.US_ASCII);
        }
        Path p = Path.of(fileOrText);
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException("field '" + field + "': cannot read the file " + fileOrText);
        }
        return Files.readAllBytes(p);
    }

    private static List<Certificate> certificates(String fileOrText, String field) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem(fileOrText, field)));
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("field '" + field + "' holds no PEM certificate");
        }
        return new ArrayList<>(certs);
    }

    private static PrivateKey privateKey(String fileOrText) throws IOException {
        String text = new String(pem(fileOrText, "ssl.keyfile"), StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("field 'ssl.keyfile' must hold an unencrypted PKCS#8 key (\"BEGIN PRIVATE KEY\");"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
        }
        String b64 = text.substring(text.indexOf("-----BEGIN PRIVATE KEY-----") + 27, text.indexOf("-----END PRIVATE KEY-----"));
        byte[] der = Base64.getMimeDecoder().decode(b64);
        for (String alg : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // next algorithm
            }
        }
        throw new IllegalArgumentException("field 'ssl.keyfile': not an RSA, EC or Ed25519 key");
    }

    /** verify_none: EMQX's default for client TLS; the connection is encrypted but the server is not checked. */
    private static final class TrustAll implements X509TrustManager {
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

    /** Applies the TLS versions to every socket Paho creates. */
    private static final class Configuring extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final SSLParameters parameters;

        Configuring(SSLSocketFactory delegate, SSLParameters parameters) {
            this.delegate = delegate;
            this.parameters = parameters;
        }

        private Socket configure(Socket s) {
            if (s instanceof SSLSocket ssl) {
                SSLParameters p = ssl.getSSLParameters();
                if (parameters.getProtocols() != null && parameters.getProtocols().length > 0) {
                    p.setProtocols(parameters.getProtocols());
                }
                ssl.setSSLParameters(p);
            }
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return configure(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return configure(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configure(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return configure(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
