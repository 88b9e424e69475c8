package io.aviary.broker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One listener from Config Admin PID {@code aviary.listeners} (keys {@code tcp.<name>.bind},
 * {@code .enable}, {@code .max_connections}). Only tcp is read now; ssl/ws/wss keys are ignored
 * and will become further {@code type}s.
 *
 * @param maxConnections 0 means unlimited
 */
public record ListenerSpec(String type, String name, String host, int port, boolean enabled, long maxConnections) {

    public String id() {
        return type + ":" + name;
    }

    /** Listeners named in the map; with no tcp key at all, the default tcp listener on 0.0.0.0:1883. */
    public static List<ListenerSpec> parse(Map<String, ?> props) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : props.keySet()) {
            if (key.startsWith("tcp.") && key.indexOf('.', 4) > 4) {
                names.add(key.substring(4, key.indexOf('.', 4)));
            }
        }
        List<ListenerSpec> specs = new ArrayList<>();
        if (names.isEmpty()) {
            specs.add(new ListenerSpec("tcp", "default", "0.0.0.0", 1883, true, 0));
            return specs;
        }
        for (String name : names) {
            specs.add(tcp(name, props));
        }
        return specs;
    }

    private static ListenerSpec tcp(String name, Map<String, ?> props) {
        String prefix = "tcp." + name + ".";
        Object bind = props.get(prefix + "bind");
        String text = bind == null ? "0.0.0.0:1883" : String.valueOf(bind).trim();
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "0.0.0.0" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(colon < 0 ? text : text.substring(colon + 1));
        Object enable = props.get(prefix + "enable");
        Object max = props.get(prefix + "max_connections");
        boolean enabled = enable == null || Boolean.parseBoolean(String.valueOf(enable));
        long maxConnections = max == null ? 0 : Long.parseLong(String.valueOf(max).trim());
        return new ListenerSpec("tcp", name, host.isEmpty() ? "0.0.0.0" : host, port, enabled, maxConnections);
    }
}
