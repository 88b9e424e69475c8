package io.aviary.storage.sql;

/**
 * EMQX's {@code server} field: "host", "host:port" or "[ipv6]:port", with the database's default
 * port when none is given.
 */
public record SqlServer(String host, int port) {

    public static SqlServer parse(String server, int defaultPort) {
        String s = server == null ? "" : server.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("server: is required (host or host:port)");
        }
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("server: unclosed [ in " + s);
            }
            host = s.substring(0, close + 1);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("server: expected :port after ] in " + s);
                }
                port = s.substring(close + 2);
            }
        } else if (s.indexOf(':') >= 0) {
            if (s.indexOf(':') != s.lastIndexOf(':')) {
                throw new IllegalArgumentException("server: write an IPv6 address as [address]:port");
            }
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("server: no host in " + s);
        }
        if (port == null) {
            return new SqlServer(host, defaultPort);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return new SqlServer(host, p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("server: bad port '" + port + "' in " + s);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
