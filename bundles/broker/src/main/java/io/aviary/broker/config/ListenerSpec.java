package io.aviary.broker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One listener from Config Admin PID {@code aviary.listeners}: keys {@code <type>.<name>.<key>}
 * with type tcp, ssl, ws or wss (EMQX's {@code listeners.tcp.default.bind} etc., flattened by
 * the launcher). TLS listeners carry {@link TlsOptions}, WebSocket listeners {@link WsOptions}.
 *
 * @param maxConnections  0 means unlimited
 * @param maxConnRate     new connections per second admitted (token bucket); 0 means unlimited
 * @param maxConnBurst    bucket size: connections admitted at once after a quiet spell
 * @param messagesRate    PUBLISH packets per second per client before reading pauses; 0 means unlimited
 * @param bytesRate       bytes per second per client before reading pauses; 0 means unlimited
 * @param proxyProtocol   every connection starts with a PROXY protocol v1 or v2 header
 * @param tenant          the tenant every client of this listener belongs to, or "" for none (each
 *                        client's tenant is resolved: SNI host name, user@tenant, default)
 */
public record ListenerSpec(String type, String name, String host, int port, boolean enabled, long maxConnections,
        double maxConnRate, long maxConnBurst, double messagesRate, double bytesRate, boolean proxyProtocol,
        String tenant, TlsOptions tls, WsOptions ws) {

    public ListenerSpec {
        tenant = tenant == null ? "" : tenant;
    }

    public static final Set<String> TYPES = Set.of("tcp", "ssl", "ws", "wss");
    public static final String DEFAULT_TENANT = "default";

    /** A plain TCP listener without rate limit or PROXY protocol (tests, defaults). */
    public ListenerSpec(String type, String name, String host, int port, boolean enabled, long maxConnections) {
        this(type, name, host, port, enabled, maxConnections, 0, 0, 0, 0, false, "", null, null);
    }

    public String id() {
        return type + ":" + name;
    }

    public boolean secure() {
        return type.equals("ssl") || type.equals("wss");
    }

    public boolean websocket() {
        return type.equals("ws") || type.equals("wss");
    }

    public ListenerSpec withTls(TlsOptions options) {
        return new ListenerSpec(type, name, host, port, enabled, maxConnections, maxConnRate, maxConnBurst,
                messagesRate, bytesRate, proxyProtocol, tenant, options, ws);
    }

    public ListenerSpec withWs(WsOptions options) {
        return new ListenerSpec(type, name, host, port, enabled, maxConnections, maxConnRate, maxConnBurst,
                messagesRate, bytesRate, proxyProtocol, tenant, tls, options);
    }

    public ListenerSpec withRate(double perSecond, long burst) {
        return new ListenerSpec(type, name, host, port, enabled, maxConnections, perSecond, burst,
                messagesRate, bytesRate, proxyProtocol, tenant, tls, ws);
    }

    public ListenerSpec withProxyProtocol(boolean on) {
        return new ListenerSpec(type, name, host, port, enabled, maxConnections, maxConnRate, maxConnBurst,
                messagesRate, bytesRate, on, tenant, tls, ws);
    }

    public ListenerSpec withClientRates(double messagesPerSecond, double bytesPerSecond) {
        return new ListenerSpec(type, name, host, port, enabled, maxConnections, maxConnRate, maxConnBurst,
                messagesPerSecond, bytesPerSecond, proxyProtocol, tenant, tls, ws);
    }

    /** Listeners named in the map; with no listener key at all, the default tcp listener on 0.0.0.0:1883. */
    public static List<ListenerSpec> parse(Map<String, ?> props) {
        TreeSet<String> ids = new TreeSet<>();
        for (String key : props.keySet()) {
            int dot = key.indexOf('.');
            int second = dot < 0 ? -1 : key.indexOf('.', dot + 1);
            if (dot > 0 && second > dot + 1 && TYPES.contains(key.substring(0, dot))) {
                ids.add(key.substring(0, second));
            }
        }
        List<ListenerSpec> specs = new ArrayList<>();
        if (ids.isEmpty()) {
            specs.add(new ListenerSpec("tcp", "default", "0.0.0.0", 1883, true, 0));
            return specs;
        }
        for (String id : ids) {
            int dot = id.indexOf('.');
            specs.add(one(id.substring(0, dot), id.substring(dot + 1), new Keys(props, id + ".")));
        }
        return specs;
    }

    private static ListenerSpec one(String type, String name, Keys k) {
        String text = k.string("bind", String.valueOf(defaultPort(type))).trim();
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "0.0.0.0" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(colon < 0 ? text : text.substring(colon + 1));
        double rate = k.number("max_conn_rate", 0);
        long burst = (long) k.number("max_conn_burst", 0);
        String tenant = k.string("tenant", "");
        ListenerSpec spec = new ListenerSpec(type, name, host.isEmpty() ? "0.0.0.0" : host, port,
                k.bool("enable", true), (long) k.number("max_connections", 0), rate, burst,
                k.number("messages_rate", 0), k.number("bytes_rate", 0),
                k.bool("proxy_protocol", false), tenant.trim(), null, null);
        if (spec.secure()) {
            spec = spec.withTls(TlsOptions.parse(k.sub("ssl_options.")));
        }
        if (spec.websocket()) {
            spec = spec.withWs(WsOptions.parse(k.sub("websocket.")));
        }
        return spec;
    }

    /** EMQX's default ports: tcp 1883, ssl 8883, ws 8083, wss 8084. */
    public static int defaultPort(String type) {
        return switch (type) {
            case "ssl" -> 8883;
            case "ws" -> 8083;
            case "wss" -> 8084;
            default -> 1883;
        };
    }

    /** Typed reads of one prefix's keys (values arrive as String, Long, Boolean or String[]). */
    record Keys(Map<String, ?> props, String prefix) {
        Keys sub(String more) {
            return new Keys(props, prefix + more);
        }

        Object raw(String key) {
            return props.get(prefix + key);
        }

        String string(String key, String otherwise) {
            Object v = raw(key);
            return v == null ? otherwise : String.valueOf(v);
        }

        boolean bool(String key, boolean otherwise) {
            Object v = raw(key);
            return v == null ? otherwise : Boolean.parseBoolean(String.valueOf(v).trim());
        }

        double number(String key, double otherwise) {
            Object v = raw(key);
            return v == null ? otherwise : Double.parseDouble(String.valueOf(v).trim());
        }

        List<String> list(String key, List<String> otherwise) {
            Object v = raw(key);
            if (v == null) {
                return otherwise;
            }
            List<String> out = new ArrayList<>();
            if (v instanceof String[] items) {
                for (String s : items) {
                    if (!s.isBlank()) {
                        out.add(s.trim());
                    }
                }
            } else {
                for (String s : String.valueOf(v).split(",")) {
                    if (!s.isBlank()) {
                        out.add(s.trim());
                    }
                }
            }
            return out;
        }
    }
}
