package io.aviary.broker.config;

import java.util.List;

/**
 * A TLS listener's {@code ssl_options} (EMQX names): PEM certificate, key and CA files, the key's
 * password, protocol versions and ciphers, and client-certificate verification (mTLS).
 *
 * @param versions         e.g. tlsv1.3, tlsv1.2 (EMQX spelling; mapped to TLSv1.3 / TLSv1.2)
 * @param ciphers          JDK / IANA cipher suite names; empty means the JDK's defaults
 * @param verifyPeer       ask for a client certificate and check it against the CA file
 * @param failIfNoPeerCert with verifyPeer, refuse a client that sends no certificate
 */
public record TlsOptions(String certfile, String keyfile, String cacertfile, String password,
        List<String> versions, List<String> ciphers, boolean verifyPeer, boolean failIfNoPeerCert) {

    static TlsOptions parse(ListenerSpec.Keys k) {
        String verify = k.string("verify", "verify_none").trim();
        if (!verify.equals("verify_none") && !verify.equals("verify_peer")) {
            throw new IllegalArgumentException(k.prefix() + "verify: expected verify_peer or verify_none, found " + verify);
        }
        return new TlsOptions(blankToNull(k.string("certfile", "")), blankToNull(k.string("keyfile", "")),
                blankToNull(k.string("cacertfile", "")), blankToNull(k.string("password", "")),
                k.list("versions", List.of("tlsv1.3", "tlsv1.2")), k.list("ciphers", List.of()),
                verify.equals("verify_peer"), k.bool("fail_if_no_peer_cert", false));
    }

    /** JDK protocol names for the configured versions. */
    public String[] jdkProtocols() {
        return versions.stream().map(v -> switch (v.toLowerCase()) {
            case "tlsv1.3" -> "TLSv1.3";
            case "tlsv1.2" -> "TLSv1.2";
            default -> throw new IllegalArgumentException("unsupported TLS version " + v + " (tlsv1.2, tlsv1.3)");
        }).toArray(String[]::new);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
