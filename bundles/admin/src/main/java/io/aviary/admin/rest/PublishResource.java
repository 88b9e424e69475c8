package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.broker.PublishResult;
import io.aviary.api.message.Message;
import io.aviary.api.message.MessageProperties;
import io.aviary.api.message.UserProperty;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * EMQX's POST /publish and /publish/bulk: 200 {id} when the message reached a subscriber, 202
 * {reason_code: 16, message: "no_matching_subscribers"} when it did not. The topic must be a
 * valid MQTT topic name, qos 0-2, the payload plain text or base64, and the MQTT 5 properties
 * are EMQX's: payload_format_indicator, message_expiry_interval, content_type, response_topic,
 * correlation_data and user_properties (an object of strings).
 */
@TenantScoped
@Path("publish")
@Produces(MediaType.APPLICATION_JSON)
public final class PublishResource {

    static final int MAX_TOPIC_BYTES = TopicNames.MAX_TOPIC_BYTES;
    static final int MAX_BULK = 1000;

    private final Services services;

    public PublishResource(Services services) {
        this.services = services;
    }

    @POST
    @ApiDoc(summary = "Publish one message", status = 200, also = 202,
            body = "{topic, payload, payload_encoding: plain|base64, qos, retain, properties}")
    public Response publish(JsonObject body) {
        JsonObject answer = result(send(parse(body, "")));
        return answer.has("id") ? Response.ok(answer).build() : Response.accepted(answer).build();
    }

    @POST
    @Path("bulk")
    @ApiDoc(summary = "Publish several messages (all are checked before any is sent)", status = 200, also = 202,
            body = "array of publish bodies")
    public Response bulk(JsonArray body) {
        if (body.size() == 0 || body.size() > MAX_BULK) {
            throw ApiException.badRequest("the body must hold 1 to " + MAX_BULK + " messages, was " + body.size());
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            JsonElement e = body.get(i);
            if (!e.isJsonObject()) {
                throw ApiException.badRequest("element " + i + " of the body must be a JSON object");
            }
            messages.add(parse(e.getAsJsonObject(), "element " + i + ": "));
        }
        JsonArray out = new JsonArray();
        boolean anyDelivered = false;
        for (Message m : messages) {
            JsonObject r = result(send(m));
            anyDelivered |= r.has("id");
            out.add(r);
        }
        return anyDelivered ? Response.ok(out).build() : Response.accepted(out).build();
    }

    private PublishResult send(Message m) {
        try {
            return services.broker().publish(m);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static JsonObject result(PublishResult result) {
        JsonObject json = new JsonObject();
        if (result.subscribers() == 0) {
            json.addProperty("reason_code", 16);
            json.addProperty("message", "no_matching_subscribers");
        } else {
            json.addProperty("id", result.messageId());
        }
        return json;
    }

    private static Message parse(JsonObject body, String where) {
        try {
            JsonFields fields = JsonFields.of(body);
            String topic = validTopic(fields.requiredString("topic"));
            int qos = fields.integer("qos", 0, 0, 2);
            boolean retain = fields.bool("retain", false);
            String encoding = fields.string("payload_encoding", "plain");
            byte[] payload = decode("payload", fields.string("payload", ""), encoding);
            MessageProperties props = properties(fields.object("properties"), encoding);
            return new Message(null, TenantScope.current(), topic, ByteBuffer.wrap(payload), qos, retain, props, null,
                    System.currentTimeMillis());
        } catch (ApiException e) {
            throw where.isEmpty() ? e : ApiException.badRequest(where + e.getMessage());
        }
    }

    private static MessageProperties properties(JsonObject json, String encoding) {
        if (json == null) {
            return MessageProperties.NONE;
        }
        JsonFields p = JsonFields.of(json);
        Integer format = p.has("payload_format_indicator") ? p.integer("payload_format_indicator", 0, 0, 1) : null;
        Long expiry = p.has("message_expiry_interval")
                ? (long) p.integer("message_expiry_interval", 0, 0, Integer.MAX_VALUE) : null;
        String responseTopic = p.string("response_topic", null);
        if (responseTopic != null) {
            TopicNames.validName("properties.response_topic", responseTopic);
        }
        String corr = p.string("correlation_data", null);
        List<UserProperty> users = new ArrayList<>();
        JsonObject userJson = p.object("user_properties");
        if (userJson != null) {
            for (Map.Entry<String, JsonElement> e : userJson.entrySet()) {
                JsonElement v = e.getValue();
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                    throw ApiException.badRequest("field 'properties.user_properties." + e.getKey() + "' must be a string");
                }
                users.add(new UserProperty(e.getKey(), v.getAsString()));
            }
        }
        return new MessageProperties(format, expiry, p.string("content_type", null), responseTopic,
                corr == null ? null : ByteBuffer.wrap(corr.getBytes(StandardCharsets.UTF_8)), users);
    }

    static String validTopic(String topic) {
        return TopicNames.validName("topic", topic);
    }

    private static byte[] decode(String field, String payload, String encoding) {
        switch (encoding) {
            case "plain":
                return payload.getBytes(StandardCharsets.UTF_8);
            case "base64":
                try {
                    return Base64.getDecoder().decode(payload);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("field '" + field + "' is not valid base64: " + e.getMessage());
                }
            default:
                throw ApiException.badRequest("field 'payload_encoding' must be \"plain\" or \"base64\"");
        }
    }
}
