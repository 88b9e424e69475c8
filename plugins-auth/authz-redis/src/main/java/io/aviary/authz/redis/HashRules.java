package io.aviary.authz.redis;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.aviary.auth.jwt.acl.AclClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's rules as EMQX keeps them in a Redis hash: each field is a topic filter (with
 * placeholders, or {@code eq } for an exact match), each value the action ({@code publish},
 * {@code subscribe} or {@code all}) or, since EMQX 5.1.1, a JSON object {@code {"action":
 * "publish", "qos": [0, 1], "retain": false}}. Every rule allows; what none matches is ignored
 * (the next source). The rules become auth-jwt's rule list (copied in), which matches topics,
 * placeholders, qos and retain as EMQX does. A value that is neither form is skipped and reported.
 */
final class HashRules {
    private static final Set<String> ACTIONS = Set.of("publish", "subscribe", "all");

    /** The rules, and the fields whose values were skipped. */
    record Parsed(AclClaim acl, List<String> skipped) {
    }

    private HashRules() {
    }

    static Parsed of(Map<String, String> hash) {
        JsonArray rules = new JsonArray();
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, String> e : hash.entrySet()) {
            JsonObject rule = rule(e.getValue());
            if (rule == null) {
                skipped.add(e.getKey());
                continue;
            }
            rule.addProperty("permission", "allow");
            rule.addProperty("topic", e.getKey());
            rules.add(rule);
        }
        return new Parsed(AclClaim.parse(rules.toString()), skipped);
    }

    /** The rule of one value (without topic and permission), or null when the value is neither form. */
    private static JsonObject rule(String value) {
        String v = value == null ? "" : value.trim();
        JsonObject rule = new JsonObject();
        if (ACTIONS.contains(v)) {
            rule.addProperty("action", v);
            return rule;
        }
        JsonElement json;
        try {
            json = JsonParser.parseString(v);
        } catch (RuntimeException notJson) {
            return null;
        }
        if (!json.isJsonObject()) {
            return null;
        }
        JsonObject o = json.getAsJsonObject();
        JsonElement action = o.get("action");
        if (action == null || !action.isJsonPrimitive() || !ACTIONS.contains(action.getAsString())) {
            return null;
        }
        rule.addProperty("action", action.getAsString());
        JsonElement qos = o.get("qos");
        if (qos != null) {
            JsonArray levels = new JsonArray();
            for (JsonElement q : qos.isJsonArray() ? qos.getAsJsonArray() : single(qos)) {
                if (!q.isJsonPrimitive() || !q.getAsJsonPrimitive().isNumber()
                        || !Set.of(0, 1, 2).contains(q.getAsInt()) || q.getAsDouble() != q.getAsInt()) {
                    return null;
                }
                levels.add(q.getAsInt());
            }
            rule.add("qos", levels);
        }
        JsonElement retain = o.get("retain");
        if (retain != null) {
            if (retain.isJsonPrimitive() && (retain.getAsJsonPrimitive().isBoolean()
                    || retain.getAsString().equals("true") || retain.getAsString().equals("false"))) {
                rule.add("retain", new JsonPrimitive(Boolean.parseBoolean(retain.getAsString())));
            } else if (!(retain.isJsonPrimitive() && retain.getAsString().equals("all"))) {
                return null;
            }
        }
        return rule;
    }

    private static JsonArray single(JsonElement e) {
        JsonArray a = new JsonArray();
        a.add(e);
        return a;
    }
}
