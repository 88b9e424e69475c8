package io.aviary.bridge.mqtt;

import java.net.InetAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * verify_peer's host name check (RFC 6125: DNS and IP subject alternative names, one left-most
 * wildcard label, the CN only when there are no DNS names), given to Paho as its HostnameVerifier.
 * It cannot be the JDK's endpoint identification: Paho replaces the socket's SSLParameters just
 * before the handshake, which clears it. The expected name is server_name_indication when set,
 * else the server's host.
 */
final class HostnameMatch implements HostnameVerifier {
    private final String expected;
    /** Why the last check failed, for the connect error (Paho only says "Host: x, Peer Host: y"). */
    private volatile String failure;

    HostnameMatch(String expected) {
        this.expected = expected.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean verify(String host, SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                if (matches(expected, x)) {
                    return true;
                }
                failure = "the server's certificate is not for " + expected + " (verify_peer; it names "
                        + names(x) + ")";
                return false;
            }
        } catch (SSLPeerUnverifiedException e) {
            failure = e.getMessage();
        }
        return false;
    }

    /** The reason of the last failed check, once. */
    String takeFailure() {
        String f = failure;
        failure = null;
        return f;
    }

    private static String names(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null && !sans.isEmpty()) {
                return sans.stream().map(l -> String.valueOf(l.get(1))).toList().toString();
            }
        } catch (CertificateParsingException e) {
            // the subject, then
        }
        return cert.getSubjectX500Principal().getName();
    }

    static boolean matches(String expected, X509Certificate cert) {
        boolean ip = expected.matches("[0-9.]+") || expected.contains(":");
        boolean hadDns = false;
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (type == 7 && ip && sameAddress(expected, value)) {
                    return true;
                }
                if (type == 2) {
                    hadDns = true;
                    if (!ip && dnsMatches(expected, value)) {
                        return true;
                    }
                }
            }
        }
        if (!ip && !hadDns) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN") && dnsMatches(expected, String.valueOf(rdn.getValue()))) {
                        return true;
                    }
                }
            } catch (InvalidNameException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b)); // literals only: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static boolean dnsMatches(String host, String pattern) {
        String h = trimDot(host.toLowerCase(Locale.ROOT));
        String p = trimDot(pattern.toLowerCase(Locale.ROOT));
        if (!p.startsWith("*.")) {
            return h.equals(p);
        }
        String suffix = p.substring(1); // ".example.com"
        if (suffix.indexOf('.', 1) < 0) {
            return false; // "*.com" matches nothing
        }
        return h.endsWith(suffix) && h.length() > suffix.length() && h.lastIndexOf('.', h.length() - suffix.length() - 1) < 0;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
