package io.aviary.auth.mongodb.connect;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One instance's connection and query settings in EMQX's shape ({@code mongo_type}, {@code server} or
 * {@code servers}, {@code replica_set_name}, {@code database}, {@code collection}, {@code filter},
 * {@code username}/{@code password}/{@code auth_source}, {@code pool_size}, {@code topology.*_ms},
 * {@code ssl}), read from Config Admin properties (nested objects arrive as JSON text). The plugin
 * manager has checked schema.json and {@link MongoConfigCheck} already; this reads what they let through.
 *
 * @param requestTimeoutMs the longest one lookup may take, queue wait included (Aviary's; EMQX has none)
 */
public record MongoSettings(String mongoType, List<String> hosts, String replicaSetName, String database,
                            String collection, FilterTemplate filter, String username, String password,
                            String authSource, int poolSize, Timeouts timeouts, long requestTimeoutMs, Tls tls,
                            boolean readFromSecondaries) {

    /** The driver's timeouts, from EMQX's {@code topology} object (Aviary's defaults are shorter than the driver's). */
    public record Timeouts(long connectMs, long socketMs, long serverSelectionMs, long waitQueueMs, long heartbeatMs) {
    }

    /** The ssl object: {@code verify} is verify_peer unless set to verify_none; the CA a path or PEM text. */
    public record Tls(boolean enable, boolean verifyPeer, String cacertfile) {
    }

    public static final int DEFAULT_PORT = 27017;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    public static MongoSettings from(Map<String, Object> props) {
        String type = text(props.get("mongo_type"), "single");
        List<String> hosts = new ArrayList<>();
        Object servers = "single".equals(type) ? props.get("server") : props.getOrDefault("servers", props.get("server"));
        if (servers instanceof String[] list) {
            for (String s : list) {
                hosts.add(hostPort(s));
            }
        } else if (servers != null) {
            for (String s : servers.toString().split(",")) {
                if (!s.isBlank()) {
                    hosts.add(hostPort(s));
                }
            }
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("single".equals(type) ? "server: required" : "servers: required");
        }
        JsonObject topology = object(props.get("topology"));
        Timeouts timeouts = new Timeouts(ms(topology, "connect_timeout_ms", 5_000), ms(topology, "socket_timeout_ms", 5_000),
                ms(topology, "server_selection_timeout_ms", 5_000), ms(topology, "wait_queue_timeout_ms", 5_000),
                ms(topology, "heartbeat_frequency_ms", 10_000));
        JsonObject ssl = object(props.get("ssl"));
        Tls tls = new Tls(ssl.has("enable") && ssl.get("enable").getAsBoolean(),
                !ssl.has("verify") || !"verify_none".equals(ssl.get("verify").getAsString()),
                ssl.has("cacertfile") ? ssl.get("cacertfile").getAsString() : null);
        Object filter = props.get("filter");
        return new MongoSettings(type, List.copyOf(hosts), text(props.get("replica_set_name"), null),
                text(props.get("database"), null), text(props.get("collection"), null),
                FilterTemplate.parse(filter == null ? FilterTemplate.DEFAULT : filter.toString()),
                text(props.get("username"), null), text(props.get("password"), null), text(props.get("auth_source"), null),
                props.get("pool_size") instanceof Number n ? n.intValue() : 8, timeouts,
                duration(props.get("request_timeout"), 5_000), tls, "slave_ok".equals(props.get("r_mode")));
    }

    /** "host" or "host:port" (EMQX's form); the port defaults to MongoDB's. */
    static String hostPort(String s) {
        String t = s.trim();
        return t.lastIndexOf(':') > t.lastIndexOf(']') ? t : t + ":" + DEFAULT_PORT;
    }

    private static String text(Object o, String otherwise) {
        return o == null ? otherwise : o.toString();
    }

    private static JsonObject object(Object json) {
        if (json == null) {
            return new JsonObject();
        }
        JsonElement e = JsonParser.parseString(json.toString());
        return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
    }

    private static long ms(JsonObject o, String field, long otherwise) {
        if (!o.has(field)) {
            return otherwise;
        }
        JsonElement e = o.get(field);
        return duration(e.getAsJsonPrimitive().isNumber() ? (Object) e.getAsLong() : e.getAsString(), otherwise);
    }

    /** EMQX's durations: a number of milliseconds, or text like "5s", "500ms", "1m". */
    static long duration(Object value, long otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        Matcher m = DURATION.matcher(value.toString().trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "h" -> n * 3_600_000;
            case "m" -> n * 60_000;
            case "s" -> n * 1000;
            default -> n;
        };
    }

    /** For logs: where the instance looks, never its password. */
    public String describe() {
        return mongoType + " " + String.join(",", hosts) + "/" + database + "." + collection + " filter " + filter;
    }
}
