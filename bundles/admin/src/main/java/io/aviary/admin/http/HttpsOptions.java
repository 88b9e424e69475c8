package io.aviary.admin.http;

import io.aviary.admin.BindAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The API's HTTPS listener ({@code dashboard.listeners.https}), with the MQTT listeners'
 * {@code ssl_options} names: PEM certificate, key (optionally encrypted) and CA files, TLS versions,
 * cipher suites and optional client-certificate verification.
 */
public record HttpsOptions(BindAddress bind, Path certfile, Path keyfile, String password, Path cacertfile,
        List<String> versions, List<String> ciphers, boolean verifyPeer, boolean failIfNoPeerCert) {

    public HttpsOptions {
        versions = List.copyOf(versions);
        ciphers = List.copyOf(ciphers);
        if (certfile == null || keyfile == null) {
            throw new IllegalArgumentException("dashboard.listeners.https needs ssl_options.certfile and keyfile");
        }
        if (verifyPeer && cacertfile == null) {
            throw new IllegalArgumentException("dashboard.listeners.https: verify_peer needs ssl_options.cacertfile");
        }
        for (String v : versions) {
            jdkProtocol(v);
        }
    }

    /** Jetty's TLS settings, the key material read now (so a bad file fails the listener's start with its name). */
    SslContextFactory.Server sslContextFactory() throws GeneralSecurityException {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(PemKeyStores.keyStore(certfile, keyfile, password));
        tls.setKeyStorePassword(new String(PemKeyStores.STORE_PASSWORD));
        tls.setKeyManagerPassword(new String(PemKeyStores.STORE_PASSWORD));
        if (cacertfile != null) {
            tls.setTrustStore(PemKeyStores.trustStore(cacertfile));
        }
        tls.setIncludeProtocols(versions.stream().map(HttpsOptions::jdkProtocol).toArray(String[]::new));
        if (!ciphers.isEmpty()) {
            tls.setIncludeCipherSuites(ciphers.toArray(String[]::new));
        }
        if (verifyPeer) {
            if (failIfNoPeerCert) {
                tls.setNeedClientAuth(true);
            } else {
                tls.setWantClientAuth(true);
            }
        }
        // The admin API serves IP addresses as often as names: no SNI host check.
        tls.setSniRequired(false);
        return tls;
    }

    private static String jdkProtocol(String version) {
        return switch (version.toLowerCase(Locale.ROOT)) {
            case "tlsv1.3" -> "TLSv1.3";
            case "tlsv1.2" -> "TLSv1.2";
            default -> throw new IllegalArgumentException(
                    "dashboard.listeners.https.ssl_options.versions: '" + version + "' is not tlsv1.3 or tlsv1.2");
        };
    }
}
