package io.aviary.authz.builtin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.api.auth.AclRuleStore.Rule;
import io.aviary.api.auth.AclRuleStore.RuleAction;
import io.aviary.api.auth.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rule as JSON in EMQX 5's shape, {@code {topic, permission, action, qos: [..], retain: true |
 * false | "all"}}: how rules are kept in the tenant's file, and the text the matcher (auth-jwt's
 * {@code AclClaim}, which reads the same shape) compiles. Input here is the plugin's own file,
 * written by {@link #toJson}; the admin API checks what callers send.
 */
final class RuleCodec {
    private RuleCodec() {
    }

    static JsonObject toJson(Rule r) {
        JsonObject o = new JsonObject();
        o.addProperty("topic", r.topic());
        o.addProperty("permission", r.permission() == Decision.ALLOW ? "allow" : "deny");
        o.addProperty("action", r.action().name().toLowerCase(Locale.ROOT));
        JsonArray qos = new JsonArray();
        r.qos().forEach(qos::add);
        o.add("qos", qos);
        if (r.retain() == null) {
            o.addProperty("retain", "all");
        } else {
            o.addProperty("retain", r.retain());
        }
        return o;
    }

    static JsonArray toJson(List<Rule> rules) {
        JsonArray a = new JsonArray();
        rules.forEach(r -> a.add(toJson(r)));
        return a;
    }

    static Rule fromJson(JsonObject o) {
        Decision permission = "deny".equals(o.get("permission").getAsString()) ? Decision.DENY : Decision.ALLOW;
        RuleAction action = RuleAction.valueOf(o.get("action").getAsString().toUpperCase(Locale.ROOT));
        List<Integer> qos = new ArrayList<>();
        o.getAsJsonArray("qos").forEach(q -> qos.add(q.getAsInt()));
        JsonElement retain = o.get("retain");
        Boolean r = retain.getAsJsonPrimitive().isBoolean() ? retain.getAsBoolean() : null;
        return new Rule(o.get("topic").getAsString(), permission, action, qos, r);
    }

    static List<Rule> fromJson(JsonArray a) {
        List<Rule> rules = new ArrayList<>(a.size());
        a.forEach(e -> rules.add(fromJson(e.getAsJsonObject())));
        return List.copyOf(rules);
    }
}
