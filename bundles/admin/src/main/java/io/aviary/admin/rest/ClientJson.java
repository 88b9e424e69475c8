package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.api.broker.ClientSnapshot;
import io.aviary.api.client.ClientInfo;

/** EMQX's client fields, as far as a {@link ClientSnapshot} has them. */
final class ClientJson {

    private ClientJson() {
    }

    static JsonObject of(ClientSnapshot s, String node) {
        ClientInfo c = s.client();
        JsonObject o = new JsonObject();
        o.addProperty("clientid", c.clientId());
        o.addProperty("username", c.username());
        o.addProperty("ip_address", c.peerAddress() == null ? null : c.peerHost());
        o.addProperty("port", c.peerAddress() == null ? null : c.peerAddress().getPort());
        o.addProperty("node", node);
        o.addProperty("listener", c.listener());
        o.addProperty("connected", s.connected());
        o.addProperty("proto_ver", c.protocolVersion());
        o.addProperty("proto_name", protoName(c));
        o.addProperty("clean_start", s.cleanStart());
        o.addProperty("keepalive", s.keepAlive());
        o.addProperty("expiry_interval", s.expiryInterval());
        o.addProperty("created_at", Rfc3339.formatMillis(s.createdAt()));
        o.addProperty("connected_at", Rfc3339.formatMillis(s.connectedAt()));
        if (!s.connected()) {
            o.addProperty("disconnected_at", Rfc3339.formatMillis(s.disconnectedAt()));
        }
        o.addProperty("subscriptions_cnt", s.subscriptions());
        o.addProperty("inflight_cnt", s.inflight());
        o.addProperty("inflight_max", s.inflightMax());
        o.addProperty("mqueue_len", s.queued());
        o.addProperty("mqueue_dropped", s.droppedMessages());
        o.addProperty("recv_msg", s.receivedMessages());
        o.addProperty("send_msg", s.sentMessages());
        return o;
    }

    /** MQTT 3.1 calls itself MQIsdp on the wire; 3.1.1 and 5 call themselves MQTT. */
    private static String protoName(ClientInfo c) {
        if (c.protocol() == null || "mqtt".equalsIgnoreCase(c.protocol())) {
            return c.protocolVersion() == 3 ? "MQIsdp" : "MQTT";
        }
        return c.protocol();
    }
}
