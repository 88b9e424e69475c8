package io.aviary.bridge.mqtt;

import java.util.Map;

/**
 * An mqtt connector's configuration, EMQX 5's fields (apps/emqx_bridge_mqtt,
 * emqx_bridge_mqtt_connector_schema) with EMQX's defaults, read once from what the schema accepted.
 *
 * @param protoVer v3 (MQTT 3.1), v4 (3.1.1) or v5
 */
record ConnectorSettings(
        String server,
        String host,
        int port,
        String protoVer,
        String clientidPrefix,
        String username,
        String password,
        boolean cleanStart,
        int keepaliveSeconds,
        int connectTimeoutSeconds,
        long retryIntervalMillis,
        int maxInflight,
        int poolSize,
        TlsSettings ssl) {

    static final int DEFAULT_PORT = 1883;

    static ConnectorSettings from(Map<String, Object> config) {
        Object s = config.get("server");
        if (!(s instanceof String server) || server.isBlank()) {
            throw new IllegalArgumentException("field 'server' is required: the remote broker as \"host:port\"");
        }
        server = server.trim();
        String host = server;
        int port = DEFAULT_PORT;
        int colon = server.lastIndexOf(':');
        if (server.startsWith("[")) { // [::1]:1883
            int close = server.indexOf(']');
            host = server.substring(1, close);
            colon = server.indexOf(':', close);
        } else if (colon >= 0) {
            host = server.substring(0, colon);
        }
        if (colon >= 0) {
            try {
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("field 'server' must be \"host:port\" with a port from 1 to 65535, was '"
                        + server + "'");
            }
        }
        if (host.isEmpty() || host.contains("/")) {
            throw new IllegalArgumentException("field 'server' must be \"host:port\", was '" + server + "'");
        }
        String ver = string(config, "proto_ver", "v4");
        if (!ver.equals("v3") && !ver.equals("v4") && !ver.equals("v5")) {
            throw new IllegalArgumentException("field 'proto_ver' must be v3, v4 or v5, was '" + ver + "'");
        }
        long keepalive = Durations.millis(config.get("keepalive"), 160_000, "keepalive");
        long connectTimeout = Durations.millis(config.get("connect_timeout"), 10_000, "connect_timeout");
        return new ConnectorSettings(server, host, port, ver, string(config, "clientid_prefix", ""),
                string(config, "username", null), string(config, "password", null),
                bool(config, "clean_start", true), (int) Math.min(65535, keepalive / 1000),
                (int) Math.max(1, connectTimeout / 1000),
                Durations.millis(config.get("retry_interval"), 15_000, "retry_interval"),
                Math.max(1, integer(config, "max_inflight", 32)), Math.max(1, integer(config, "pool_size", 8)),
                TlsSettings.from(config.get("ssl")));
    }

    boolean mqtt5() {
        return protoVer.equals("v5");
    }

    /** Paho's URI for this server. */
    String uri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (ssl.enable() ? "ssl://" : "tcp://") + h + ":" + port;
    }

    private static String string(Map<String, Object> c, String key, String fallback) {
        Object v = c.get(key);
        return v == null ? fallback : String.valueOf(v);
    }

    private static boolean bool(Map<String, Object> c, String key, boolean fallback) {
        Object v = c.get(key);
        return v == null ? fallback : Boolean.parseBoolean(String.valueOf(v));
    }

    private static int integer(Map<String, Object> c, String key, int fallback) {
        Object v = c.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + key + "' must be a number, was '" + v + "'");
        }
    }
}
