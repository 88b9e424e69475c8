package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.broker.PublishResult;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.message.Message;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * EMQX's POST /publish: 200 {id} when the message reached a subscriber, 202 with reason code
 * 16 (no matching subscribers) when it did not. The topic must be a valid MQTT topic name
 * (no wildcards), qos 0-2, and the payload plain text or base64.
 */
@Path("publish")
@Produces(MediaType.APPLICATION_JSON)
public final class PublishResource {

    static final int MAX_TOPIC_BYTES = 65_535;
    private static final String TENANT = ClientInfo.DEFAULT_TENANT;

    private final Services services;

    public PublishResource(Services services) {
        this.services = services;
    }

    @POST
    public Response publish(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String topic = validTopic(fields.requiredString("topic"));
        int qos = fields.integer("qos", 0, 0, 2);
        boolean retain = fields.bool("retain", false);
        byte[] payload = payload(fields.string("payload", ""), fields.string("payload_encoding", "plain"));
        PublishResult result;
        try {
            result = services.broker().publish(Message.of(TENANT, topic, payload, qos, retain));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        JsonObject json = new JsonObject();
        if (result.subscribers() == 0) {
            json.addProperty("reason_code", 16);
            json.addProperty("message", "no_matching_subscribers");
            return Response.accepted(json).build();
        }
        json.addProperty("id", result.messageId());
        return Response.ok(json).build();
    }

    static String validTopic(String topic) {
        if (topic.isEmpty()) {
            throw ApiException.badRequest("field 'topic' must not be empty");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw ApiException.badRequest("field 'topic' must not contain wildcards ('+' or '#')");
        }
        if (topic.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("field 'topic' must not contain the NUL character");
        }
        if (topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
            throw ApiException.badRequest("field 'topic' must be at most " + MAX_TOPIC_BYTES + " bytes of UTF-8");
        }
        return topic;
    }

    private static byte[] payload(String payload, String encoding) {
        switch (encoding) {
            case "plain":
                return payload.getBytes(StandardCharsets.UTF_8);
            case "base64":
                try {
                    return Base64.getDecoder().decode(payload);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("field 'payload' is not valid base64: " + e.getMessage());
                }
            default:
                throw ApiException.badRequest("field 'payload_encoding' must be \"plain\" or \"base64\"");
        }
    }
}
