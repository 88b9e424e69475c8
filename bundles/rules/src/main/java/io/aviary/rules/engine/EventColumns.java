package io.aviary.rules.engine;

import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.events.DropReason;
import io.aviary.api.message.Message;
import io.aviary.api.message.MessageProperties;
import io.aviary.api.message.UserProperty;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns a rule sees for each message and event, built from the broker's Message and
 * ClientInfo with EMQX's names (RuleEvents lists them). Built on the broker's thread, so the
 * payload is copied here once (the broker's buffer is only valid during the call) and the rest
 * of the work can move to a rule worker.
 */
final class EventColumns {

    private final String node;

    EventColumns(String node) {
        this.node = node;
    }

    Map<String, Object> publish(ClientInfo publisher, Message m) {
        Map<String, Object> c = new HashMap<>(24);
        c.put("event", "message.publish");
        message(c, m);
        if (publisher != null) {
            client(c, publisher);
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("peerhost", publisher.peerHost());
            headers.put("proto_ver", (long) publisher.protocolVersion());
            headers.put("username", publisher.username());
            c.put("headers", headers);
        } else {
            c.put("clientid", m.publisher());
            c.put("headers", new LinkedHashMap<>());
        }
        return c;
    }

    Map<String, Object> delivered(String event, ClientInfo subscriber, Message m) {
        Map<String, Object> c = new HashMap<>(24);
        c.put("event", event);
        message(c, m);
        client(c, subscriber);
        c.put("from_clientid", m.publisher());
        c.put("from_username", null);
        if (event.equals("message.acked")) {
            c.put("puback_props", new LinkedHashMap<>());
        }
        return c;
    }

    Map<String, Object> dropped(Message m, DropReason reason) {
        Map<String, Object> c = new HashMap<>(24);
        c.put("event", "message.dropped");
        message(c, m);
        c.put("clientid", m.publisher());
        c.put("reason", reason(reason));
        return c;
    }

    Map<String, Object> deliveryDropped(ClientInfo subscriber, Message m, DropReason reason) {
        Map<String, Object> c = delivered("delivery.dropped", subscriber, m);
        c.put("reason", reason(reason));
        return c;
    }

    Map<String, Object> connected(ClientInfo client, boolean cleanStart, int keepAlive, long sessionExpiry) {
        Map<String, Object> c = connection("client.connected", client);
        c.put("keepalive", (long) keepAlive);
        c.put("clean_start", cleanStart);
        c.put("expiry_interval", sessionExpiry);
        c.put("is_bridge", false);
        c.put("mountpoint", null);
        c.put("conn_props", new LinkedHashMap<>());
        c.put("connected_at", c.get("timestamp"));
        return c;
    }

    Map<String, Object> disconnected(ClientInfo client, String reason) {
        Map<String, Object> c = connection("client.disconnected", client);
        c.put("reason", reason);
        c.put("disconn_props", new LinkedHashMap<>());
        c.put("disconnected_at", c.get("timestamp"));
        return c;
    }

    Map<String, Object> connack(ClientInfo client, int reasonCode) {
        Map<String, Object> c = connection("client.connack", client);
        c.put("reason_code", connackReason(reasonCode));
        c.put("conn_props", new LinkedHashMap<>());
        return c;
    }

    /** EMQX's client.check_authn_complete columns. */
    Map<String, Object> authnComplete(ClientInfo client, int reasonCode, boolean superuser, boolean anonymous) {
        Map<String, Object> c = base("client.check_authn_complete");
        client(c, client);
        c.remove("peerhost");
        c.put("reason_code", connackReason(reasonCode));
        c.put("is_superuser", superuser);
        c.put("is_anonymous", anonymous);
        return c;
    }

    /** EMQX's client.check_authz_complete columns. */
    Map<String, Object> authzComplete(ClientInfo client, String action, String topic, boolean allowed, String source) {
        Map<String, Object> c = base("client.check_authz_complete");
        client(c, client);
        c.put("topic", topic);
        c.put("action", action);
        c.put("authz_source", source);
        c.put("result", allowed ? "allow" : "deny");
        return c;
    }

    Map<String, Object> subscribed(ClientInfo client, String filter, SubscriptionOptions options) {
        Map<String, Object> c = base("session.subscribed");
        client(c, client);
        c.put("topic", filter);
        c.put("qos", (long) (options == null ? 0 : options.qos()));
        c.put("sub_props", new LinkedHashMap<>());
        return c;
    }

    Map<String, Object> unsubscribed(ClientInfo client, String filter) {
        Map<String, Object> c = base("session.unsubscribed");
        client(c, client);
        c.put("topic", filter);
        c.put("qos", 0L);
        c.put("unsub_props", new LinkedHashMap<>());
        return c;
    }

    private Map<String, Object> base(String event) {
        Map<String, Object> c = new HashMap<>(20);
        c.put("event", event);
        c.put("timestamp", System.currentTimeMillis());
        c.put("node", node);
        return c;
    }

    private Map<String, Object> connection(String event, ClientInfo client) {
        Map<String, Object> c = base(event);
        client(c, client);
        c.remove("peerhost"); // EMQX's client events name the peer by peername only
        c.put("proto_name", client.protocol() == null || client.protocol().equals("mqtt") ? "MQTT" : client.protocol());
        c.put("proto_ver", (long) client.protocolVersion());
        c.put("sockname", client.listener());
        return c;
    }

    private void message(Map<String, Object> c, Message m) {
        c.put("id", m.id());
        c.put("payload", bytes(m.payload()));
        c.put("topic", m.topic());
        c.put("qos", (long) m.qos());
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("dup", false);
        flags.put("retain", m.retain());
        c.put("flags", flags);
        c.put("pub_props", properties(m.properties()));
        c.put("timestamp", m.timestamp());
        c.put("publish_received_at", m.timestamp());
        c.put("node", node);
    }

    private static void client(Map<String, Object> c, ClientInfo client) {
        c.put("clientid", client.clientId());
        c.put("username", client.username());
        c.put("peerhost", client.peerHost());
        InetSocketAddress a = client.peerAddress();
        c.put("peername", a == null ? null : client.peerHost() + ":" + a.getPort());
        c.put("client_attrs", new LinkedHashMap<String, Object>(client.attributes()));
    }

    private static byte[] bytes(ByteBuffer payload) {
        ByteBuffer view = payload.duplicate();
        byte[] b = new byte[view.remaining()];
        view.get(b);
        return b;
    }

    /** EMQX's pub_props: property names as in the MQTT spec, User-Property as a map (and as pairs). */
    static Map<String, Object> properties(MessageProperties p) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (p == null || p.isEmpty()) {
            return out;
        }
        if (p.payloadFormatIndicator() != null) {
            out.put("Payload-Format-Indicator", (long) p.payloadFormatIndicator());
        }
        if (p.messageExpiryInterval() != null) {
            out.put("Message-Expiry-Interval", p.messageExpiryInterval());
        }
        if (p.contentType() != null) {
            out.put("Content-Type", p.contentType());
        }
        if (p.responseTopic() != null) {
            out.put("Response-Topic", p.responseTopic());
        }
        if (p.correlationData() != null) {
            out.put("Correlation-Data", new String(bytes(p.correlationData()), StandardCharsets.UTF_8));
        }
        if (!p.userProperties().isEmpty()) {
            Map<String, Object> map = new LinkedHashMap<>();
            List<Object> pairs = new ArrayList<>();
            for (UserProperty u : p.userProperties()) {
                map.put(u.key(), u.value());
                Map<String, Object> pair = new LinkedHashMap<>();
                pair.put("key", u.key());
                pair.put("value", u.value());
                pairs.add(pair);
            }
            out.put("User-Property", map);
            out.put("User-Property-Pairs", pairs);
        }
        return out;
    }

    static String reason(DropReason r) {
        return r == DropReason.QOS0_OFFLINE ? "qos0_msg" : r.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** EMQX's reason code names for a CONNACK. */
    static String connackReason(int code) {
        return switch (code) {
            case 0x00 -> "success";
            case 0x80 -> "unspecified_error";
            case 0x81 -> "malformed_packet";
            case 0x82 -> "protocol_error";
            case 0x83 -> "implementation_specific_error";
            case 0x84 -> "unsupported_protocol_version";
            case 0x85 -> "client_identifier_not_valid";
            case 0x86 -> "bad_username_or_password";
            case 0x87 -> "not_authorized";
            case 0x88 -> "server_unavailable";
            case 0x89 -> "server_busy";
            case 0x8A -> "banned";
            case 0x8C -> "bad_authentication_method";
            case 0x95 -> "packet_too_large";
            case 0x97 -> "quota_exceeded";
            case 0x9C -> "use_another_server";
            case 0x9D -> "server_moved";
            case 0x9F -> "connection_rate_exceeded";
            default -> "0x" + Integer.toHexString(code);
        };
    }
}
