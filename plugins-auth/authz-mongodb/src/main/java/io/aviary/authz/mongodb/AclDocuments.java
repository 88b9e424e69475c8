package io.aviary.authz.mongodb;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.aviary.auth.jwt.acl.AclClaim;
import java.util.List;
import java.util.function.Consumer;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Rule documents as EMQX's MongoDB source reads them: {@code permission} (allow or deny),
 * {@code action} (publish, subscribe or all), {@code topics} (an array) or {@code topic}, optional
 * {@code qos} (a level or an array of levels) and {@code retain} (true/false or 1/0). Other fields
 * (the ones the filter matched on, {@code _id}) are ignored. The rules are checked in the order the
 * database returns them, first match wins, with auth-jwt's matcher (placeholders
 * {@code ${username}}/{@code ${clientid}} in topics, {@code eq } for an exact topic); a document that
 * is not a valid rule is skipped and reported, as EMQX does.
 */
final class AclDocuments {
    private AclDocuments() {
    }

    /** @param invalid told of each skipped document, with why */
    static AclClaim rules(List<BsonDocument> documents, Consumer<String> invalid) {
        JsonArray rules = new JsonArray();
        for (BsonDocument doc : documents) {
            try {
                JsonObject rule = rule(doc);
                JsonArray one = new JsonArray();
                one.add(rule);
                AclClaim.parse(one.toString()); // refuses what the matcher cannot use
                rules.add(rule);
            } catch (RuntimeException e) {
                BsonValue id = doc.get("_id");
                invalid.accept((id == null ? "(no _id)" : new BsonDocument("_id", id).toJson()) + ": " + e.getMessage());
            }
        }
        return AclClaim.parse(rules.toString());
    }

    private static JsonObject rule(BsonDocument doc) {
        JsonObject r = new JsonObject();
        r.addProperty("permission", string(doc, "permission"));
        r.addProperty("action", string(doc, "action"));
        JsonArray topics = new JsonArray();
        BsonValue many = doc.get("topics");
        if (many != null && many.isArray()) {
            many.asArray().forEach(t -> topics.add(topic(t)));
        } else if (many != null) {
            topics.add(topic(many));
        }
        if (doc.containsKey("topic")) {
            topics.add(topic(doc.get("topic")));
        }
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("no topic or topics");
        }
        r.add("topics", topics);
        BsonValue qos = doc.get("qos");
        if (qos != null && !qos.isNull()) {
            JsonArray levels = new JsonArray();
            for (BsonValue q : qos.isArray() ? qos.asArray().getValues() : List.of(qos)) {
                int level = q.isNumber() ? q.asNumber().intValue() : -1;
                if (level < 0 || level > 2 || (q.isNumber() && q.asNumber().doubleValue() != level)) {
                    throw new IllegalArgumentException("qos must be 0, 1, 2 or an array of them");
                }
                levels.add(level);
            }
            r.add("qos", levels);
        }
        BsonValue retain = doc.get("retain");
        if (retain != null && !retain.isNull()) {
            if (retain.isBoolean()) {
                r.addProperty("retain", retain.asBoolean().getValue());
            } else if (retain.isNumber() && (retain.asNumber().intValue() == 0 || retain.asNumber().intValue() == 1)) {
                r.addProperty("retain", retain.asNumber().intValue() == 1);
            } else if (!(retain.isString() && retain.asString().getValue().equals("all"))) {
                throw new IllegalArgumentException("retain must be true, false, 1 or 0");
            }
        }
        return r;
    }

    private static String string(BsonDocument doc, String field) {
        BsonValue v = doc.get(field);
        if (v == null || !v.isString()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asString().getValue();
    }

    private static JsonPrimitive topic(BsonValue v) {
        if (!v.isString() || v.asString().getValue().isEmpty()) {
            throw new IllegalArgumentException("topics must be non-empty strings");
        }
        return new JsonPrimitive(v.asString().getValue());
    }
}
