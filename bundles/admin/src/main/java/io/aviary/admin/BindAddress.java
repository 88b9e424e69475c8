package io.aviary.admin;

/**
 * The listener address from {@code listeners.http.bind}: "18083", "0.0.0.0:18083",
 * "127.0.0.1:0" or "[::1]:18083", as EMQX accepts it.
 */
public record BindAddress(String host, int port) {

    public BindAddress {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("listeners.http.bind: port out of range: " + port);
        }
    }

    public static BindAddress parse(String text) {
        return parse(text, "listeners.http.bind");
    }

    /** {@code key} names the setting in errors (listeners.http.bind, listeners.https.bind). */
    public static BindAddress parse(String text, String key) {
        try {
            return parseValue(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("listeners.http.bind", key), e);
        }
    }

    private static BindAddress parseValue(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("listeners.http.bind is empty");
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            return new BindAddress("0.0.0.0", port(value, text));
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("listeners.http.bind: missing host in '" + text + "'");
        }
        return new BindAddress(host, port(value.substring(colon + 1), text));
    }

    private static int port(String digits, String original) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listeners.http.bind must be \"port\" or \"host:port\", was '"
                    + original + "'");
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
