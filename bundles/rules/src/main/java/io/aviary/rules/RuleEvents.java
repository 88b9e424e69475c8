package io.aviary.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of what a rule can select FROM: messages (any topic filter) and EMQX's events,
 * each with its FROM topic (EMQX 5's "$events/client_connected", also accepted in the newer
 * "$events/client/connected" form), its rule_test event_type, an example SQL and every column
 * with EMQX's example value. The admin API serves it at GET /api/v5/rule_events; the broker
 * builds each event's {@link RuleContext} with exactly these column names.
 */
public final class RuleEvents {

    /** One event kind. {@code columns} maps each column name to an example value. */
    public record EventInfo(String event, String eventType, String topic, List<String> aliases, String title,
            String description, String sqlExample, Map<String, Object> columns) {}

    private static final String NODE = "aviary@127.0.0.1";
    private static final long TS = 1_736_512_728_666L;
    private static final String MSG_ID = "0006225A2D1A2B5CF4420000008A0003";
    private static final Map<String, EventInfo> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, String> TOPIC_TO_NAME = new LinkedHashMap<>();

    static {
        add("message.publish", "message_publish", null, null, "message publish",
                "a message was published on a topic matching the rule's topic filter",
                "SELECT payload.msg as msg FROM \"t/#\" WHERE msg = 'hello'", publishColumns());
        add("message.delivered", "message_delivered", "$events/message_delivered", "$events/message/delivered",
                "message delivered", "a message was delivered to a subscriber",
                "SELECT * FROM \"$events/message_delivered\" WHERE topic =~ 't/#'", ackDeliveredColumns("message.delivered", false));
        add("message.acked", "message_acked", "$events/message_acked", "$events/message/acked", "message acked",
                "a subscriber acknowledged a QoS 1 or 2 message",
                "SELECT * FROM \"$events/message_acked\" WHERE topic =~ 't/#'", ackDeliveredColumns("message.acked", true));
        add("message.dropped", "message_dropped", "$events/message_dropped", "$events/message/dropped",
                "message routing-drop", "a message was dropped while routing, usually because nobody subscribes to it",
                "SELECT * FROM \"$events/message_dropped\" WHERE topic =~ 't/#'", droppedColumns());
        add("delivery.dropped", "delivery_dropped", "$events/delivery_dropped", "$events/message/delivery_dropped",
                "message delivery-drop", "a message was dropped on its way to a subscriber, e.g. its queue was full",
                "SELECT * FROM \"$events/delivery_dropped\" WHERE topic =~ 't/#'", deliveryDroppedColumns());
        add("client.connected", "client_connected", "$events/client_connected", "$events/client/connected",
                "client connected", "a client connected", "SELECT * FROM \"$events/client_connected\"", connectedColumns());
        add("client.disconnected", "client_disconnected", "$events/client_disconnected", "$events/client/disconnected",
                "client disconnected", "a client disconnected", "SELECT * FROM \"$events/client_disconnected\"",
                disconnectedColumns());
        add("client.connack", "client_connack", "$events/client_connack", "$events/client/connack", "client connack",
                "the broker answered a CONNECT", "SELECT * FROM \"$events/client_connack\"", connackColumns());
        add("client.check_authz_complete", "client_check_authz_complete", "$events/client_check_authz_complete",
                "$events/auth/check_authz_complete", "client check authz complete",
                "an authorization check finished", "SELECT * FROM \"$events/client_check_authz_complete\"", authzColumns());
        add("client.check_authn_complete", "client_check_authn_complete", "$events/client_check_authn_complete",
                "$events/auth/check_authn_complete", "client check authn complete",
                "an authentication finished", "SELECT * FROM \"$events/client_check_authn_complete\"", authnColumns());
        add("session.subscribed", "session_subscribed", "$events/session_subscribed", "$events/session/subscribed",
                "session subscribed", "a client subscribed",
                "SELECT * FROM \"$events/session_subscribed\" WHERE topic =~ 't/#'", subUnsubColumns("session.subscribed", "sub_props"));
        add("session.unsubscribed", "session_unsubscribed", "$events/session_unsubscribed", "$events/session/unsubscribed",
                "session unsubscribed", "a client unsubscribed",
                "SELECT * FROM \"$events/session_unsubscribed\" WHERE topic =~ 't/#'",
                subUnsubColumns("session.unsubscribed", "unsub_props"));
    }

    private RuleEvents() {}

    private static void add(String name, String type, String topic, String alias, String title, String descr, String sql,
            Map<String, Object> columns) {
        List<String> aliases = alias == null ? List.of() : List.of(alias);
        BY_NAME.put(name, new EventInfo(name, type, topic, aliases, title, descr, sql, Collections.unmodifiableMap(columns)));
        if (topic != null) {
            TOPIC_TO_NAME.put(topic, name);
            TOPIC_TO_NAME.put(alias, name);
        }
    }

    /** Every event kind, messages first. */
    public static List<EventInfo> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The event by EMQX name ("client.connected") or rule_test event_type ("client_connected"), or null. */
    public static EventInfo get(String nameOrType) {
        EventInfo e = BY_NAME.get(nameOrType);
        if (e != null) {
            return e;
        }
        for (EventInfo i : BY_NAME.values()) {
            if (i.eventType().equals(nameOrType)) {
                return i;
            }
        }
        return null;
    }

    /** The EMQX event name of a FROM "$events/..." topic, or null when there is no such event. */
    public static String eventName(String topic) {
        return TOPIC_TO_NAME.get(topic);
    }

    /** The FROM topics of the events (EMQX 5's names). */
    public static List<String> eventTopics() {
        List<String> out = new ArrayList<>();
        for (EventInfo e : BY_NAME.values()) {
            if (e.topic() != null) {
                out.add(e.topic());
            }
        }
        return out;
    }

    // ---- EMQX's example columns ----

    private static Map<String, Object> props(String kind) {
        Map<String, Object> p = new LinkedHashMap<>();
        switch (kind) {
            case "pub_props":
                p.put("Payload-Format-Indicator", 0L);
                p.put("Message-Expiry-Interval", 30L);
                break;
            case "puback_props":
                p.put("Reason-String", "OK");
                break;
            case "conn_props":
                p.put("Session-Expiry-Interval", 7200L);
                p.put("Receive-Maximum", 32L);
                break;
            case "disconn_props":
                p.put("Session-Expiry-Interval", 7200L);
                p.put("Reason-String", "Redirect to another server");
                p.put("Server Reference", "192.168.22.129");
                break;
            default:
                break;
        }
        p.put("User-Property", new LinkedHashMap<>(Map.of("foo", "bar")));
        p.put("User-Property-Pairs", List.of(Map.of("key", "foo"), Map.of("value", "bar")));
        return p;
    }

    private static Map<String, Object> clientAttrs() {
        return new LinkedHashMap<>(Map.of("test", "example"));
    }

    private static Map<String, Object> publishColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("event", "message.publish");
        c.put("id", MSG_ID);
        c.put("clientid", "c_emqx");
        c.put("username", "u_emqx");
        c.put("payload", "{\"msg\": \"hello\"}");
        c.put("peerhost", "192.168.0.10");
        c.put("peername", "192.168.0.10:32781");
        c.put("topic", "t/a");
        c.put("qos", 1L);
        c.put("flags", new LinkedHashMap<>(Map.of("dup", false, "retain", false)));
        c.put("headers", new LinkedHashMap<>());
        c.put("publish_received_at", TS);
        c.put("pub_props", props("pub_props"));
        c.put("timestamp", TS);
        c.put("node", NODE);
        c.put("client_attrs", clientAttrs());
        return c;
    }

    private static Map<String, Object> ackDeliveredColumns(String event, boolean acked) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (acked) {
            c.put("puback_props", props("puback_props"));
        }
        c.put("event", event);
        c.put("id", MSG_ID);
        c.put("from_clientid", "c_emqx_1");
        c.put("from_username", "u_emqx_1");
        c.put("clientid", "c_emqx_2");
        c.put("username", "u_emqx_2");
        c.put("payload", "{\"msg\": \"hello\"}");
        c.put("peerhost", "192.168.0.10");
        c.put("peername", "192.168.0.10:32781");
        c.put("topic", "t/a");
        c.put("qos", 1L);
        c.put("flags", new LinkedHashMap<>());
        c.put("publish_received_at", TS);
        c.put("pub_props", props("pub_props"));
        c.put("timestamp", TS);
        c.put("node", NODE);
        return c;
    }

    private static Map<String, Object> droppedColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("event", "message.dropped");
        c.put("id", MSG_ID);
        c.put("reason", "no_subscribers");
        c.put("clientid", "c_emqx");
        c.put("username", "u_emqx");
        c.put("payload", "{\"msg\": \"hello\"}");
        c.put("peerhost", "192.168.0.10");
        c.put("peername", "192.168.0.10:32781");
        c.put("topic", "t/a");
        c.put("qos", 1L);
        c.put("flags", new LinkedHashMap<>());
        c.put("publish_received_at", TS);
        c.put("pub_props", props("pub_props"));
        c.put("timestamp", TS);
        c.put("node", NODE);
        return c;
    }

    private static Map<String, Object> deliveryDroppedColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("event", "delivery.dropped");
        c.put("id", MSG_ID);
        c.put("reason", "queue_full");
        c.put("from_clientid", "c_emqx_1");
        c.put("from_username", "u_emqx_1");
        c.put("clientid", "c_emqx_2");
        c.put("username", "u_emqx_2");
        c.put("payload", "{\"msg\": \"hello\"}");
        c.put("peerhost", "192.168.0.10");
        c.put("peername", "192.168.0.10:32781");
        c.put("topic", "t/a");
        c.put("qos", 1L);
        c.put("flags", new LinkedHashMap<>());
        c.put("pub_props", props("pub_props"));
        c.put("publish_received_at", TS);
        c.put("timestamp", TS);
        c.put("node", NODE);
        return c;
    }

    private static Map<String, Object> connectedColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("event", "client.connected");
        c.put("clientid", "c_emqx");
        c.put("username", "u_emqx");
        c.put("mountpoint", null);
        c.put("peername", "192.168.0.10:56431");
        c.put("sockname", "0.0.0.0:1883");
        c.put("proto_name", "MQTT");
        c.put("proto_ver", 5L);
        c.put("keepalive", 60L);
        c.put("clean_start", true);
        c.put("expiry_interval", 3600L);
        c.put("is_bridge", false);
        c.put("conn_props", props("conn_props"));
        c.put("connected_at", TS);
        c.put("timestamp", TS);
        c.put("node", NODE);
        c.put("client_attrs", clientAttrs());
        return c;
    }

    private static Map<String, Object> disconnectedColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("event", "client.disconnected");
        c.put("reason", "normal");
        c.put("clientid", "c_emqx");
        c.put("username", "u_emqx");
        c.put("peername", "192.168.0.10:56431");
        c.put("sockname", "0.0.0.0:1883");
        c.put("proto_name", "MQTT");
        c.put("proto_ver", 5L);
        c.put("disconn_props", props("disconn_props"));
        c.put("connected_at", TS);
        c.put("disconnected_at", TS);
        c.put("timestamp", TS);
        c.put("node", NODE);
        c.put("client_attrs", clientAttrs());
        return c;
    }

    private static Map<String, Object> connackColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("event", "client.connack");
        c.put("reason_code", "success");
        c.put("clientid", "c_emqx");
        c.put("username", "u_emqx");
        c.put("peername", "192.168.0.10:56431");
        c.put("sockname", "0.0.0.0:1883");
        c.put("proto_name", "MQTT");
        c.put("proto_ver", 5L);
        c.put("keepalive", 60L);
        c.put("clean_start", true);
        c.put("expiry_interval", 3600L);
        c.put("connected_at", TS);
        c.put("conn_props", props("conn_props"));
        c.put("timestamp", TS);
        c.put("node", NODE);
        return c;
    }

    private static Map<String, Object> authzColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("event", "client.check_authz_complete");
        c.put("clientid", "c_emqx");
        c.put("username", "u_emqx");
        c.put("peerhost", "192.168.0.10");
        c.put("peername", "192.168.0.10:32781");
        c.put("topic", "t/a");
        c.put("action", "publish");
        c.put("authz_source", "cache");
        c.put("result", "allow");
        c.put("timestamp", TS);
        c.put("node", NODE);
        c.put("client_attrs", clientAttrs());
        return c;
    }

    private static Map<String, Object> authnColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("event", "client.check_authn_complete");
        c.put("clientid", "c_emqx");
        c.put("username", "u_emqx");
        c.put("peername", "192.168.0.10:56431");
        c.put("reason_code", "success");
        c.put("is_superuser", true);
        c.put("is_anonymous", false);
        c.put("timestamp", TS);
        c.put("node", NODE);
        c.put("client_attrs", clientAttrs());
        return c;
    }

    private static Map<String, Object> subUnsubColumns(String event, String propsKey) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(propsKey, props(propsKey));
        c.put("client_attrs", clientAttrs());
        c.put("event", event);
        c.put("clientid", "c_emqx");
        c.put("username", "u_emqx");
        c.put("peerhost", "192.168.0.10");
        c.put("peername", "192.168.0.10:32781");
        c.put("topic", "t/a");
        c.put("qos", 1L);
        c.put("timestamp", TS);
        c.put("node", NODE);
        return c;
    }
}
