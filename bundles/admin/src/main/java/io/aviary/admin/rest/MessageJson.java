package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.error.ApiException;
import io.aviary.api.broker.DelayedMessage;
import io.aviary.api.broker.PendingMessage;
import io.aviary.api.broker.SubscriptionInfo;
import io.aviary.api.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** EMQX's JSON shapes of messages (queued, inflight, retained, delayed) and subscriptions. */
final class MessageJson {

    private MessageJson() {
    }

    /** EMQX's ?payload= of the message listings: base64 (default), plain, or none. */
    static String payloadMode(String param) {
        if (param == null || param.isEmpty()) {
            return "base64";
        }
        if (param.equals("base64") || param.equals("plain") || param.equals("none")) {
            return param;
        }
        throw ApiException.badRequest("query parameter 'payload' must be \"base64\", \"plain\" or \"none\"");
    }

    static void payload(JsonObject o, Message m, String mode) {
        switch (mode) {
            case "none":
                return;
            case "plain":
                o.addProperty("payload", new String(m.payloadBytes(), StandardCharsets.UTF_8));
                return;
            default:
                o.addProperty("payload", Base64.getEncoder().encodeToString(m.payloadBytes()));
        }
    }

    static JsonObject pending(PendingMessage p, String payloadMode) {
        Message m = p.message();
        JsonObject o = new JsonObject();
        o.addProperty("msgid", m.id());
        o.addProperty("topic", m.topic());
        o.addProperty("qos", p.qos());
        o.addProperty("publish_at", m.timestamp());
        o.addProperty("from_clientid", m.publisher());
        o.addProperty("from_username", (String) null);
        o.addProperty("inserted_at", String.valueOf(p.insertedAt()));
        if (p.packetId() > 0) {
            o.addProperty("packet_id", p.packetId());
        }
        payload(o, m, payloadMode);
        return o;
    }

    static JsonObject retained(Message m, boolean withPayload) {
        JsonObject o = new JsonObject();
        o.addProperty("topic", m.topic());
        o.addProperty("msgid", m.id());
        o.addProperty("qos", m.qos());
        if (withPayload) {
            payload(o, m, "base64");
        }
        o.addProperty("from_clientid", m.publisher());
        o.addProperty("from_username", (String) null);
        o.addProperty("publish_at", Rfc3339.formatMillis(m.timestamp()));
        return o;
    }

    static JsonObject delayed(DelayedMessage d, String node, long now) {
        Message m = d.message();
        JsonObject o = new JsonObject();
        o.addProperty("msgid", m.id());
        o.addProperty("node", node);
        o.addProperty("publish_at", Rfc3339.formatMillis(d.publishAt()));
        o.addProperty("delayed_interval", d.delayedInterval());
        o.addProperty("delayed_remaining", Math.max(0, (d.expectedAt() - now + 999) / 1000));
        o.addProperty("expected_at", Rfc3339.formatMillis(d.expectedAt()));
        o.addProperty("topic", m.topic());
        o.addProperty("qos", m.qos());
        o.addProperty("from_clientid", m.publisher());
        o.addProperty("from_username", (String) null);
        payload(o, m, "base64");
        return o;
    }

    static JsonObject subscription(SubscriptionInfo s, String node) {
        JsonObject o = new JsonObject();
        o.addProperty("clientid", s.clientId());
        o.addProperty("topic", s.topicFilter());
        o.addProperty("qos", s.options().qos());
        o.addProperty("nl", s.options().noLocal() ? 1 : 0);
        o.addProperty("rap", s.options().retainAsPublished() ? 1 : 0);
        o.addProperty("rh", s.options().retainHandling());
        o.addProperty("node", node);
        if (s.shareGroup() != null) {
            o.addProperty("share_group", s.shareGroup());
        }
        return o;
    }
}
