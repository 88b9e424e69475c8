package io.aviary.authz.builtin;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.api.auth.AclRuleStore.Rule;
import io.aviary.api.auth.AclRuleStore.RuleAction;
import io.aviary.api.auth.Decision;
import java.util.List;
import java.util.Locale;

/**
 * A rule as JSON in EMQX 5's shape, {@code {topic, permission, action, qos: [..], retain: true |
 * false | "all"}}: how rules are kept in the tenant's file, and the text the matcher (auth-jwt's
 * {@code AclClaim}, which reads the same shape) compiles. Input here is the plugin's own file,
 * written by {@link #toJson}; the admin API checks what callers send.
 */
final class RuleCodec {
    private static final Gson GSON = new Gson();

    /** The JSON shape, field for field (Gson writes a record's components in order). */
    private record Stored(String topic, String permission, String action, List<Integer> qos, Object retain) {
    }

    private RuleCodec() {
    }

    static JsonElement toJson(Rule r) {
        return GSON.toJsonTree(new Stored(r.topic(), r.permission().name().toLowerCase(Locale.ROOT),
                r.action().name().toLowerCase(Locale.ROOT), r.qos(), r.retain() == null ? "all" : r.retain()));
    }

    static JsonArray toJson(List<Rule> rules) {
        JsonArray a = new JsonArray();
        rules.forEach(r -> a.add(toJson(r)));
        return a;
    }

    static Rule fromJson(JsonObject o) {
        Stored s = GSON.fromJson(o, Stored.class);
        Boolean retain = s.retain() instanceof Boolean b ? b : null;
        return new Rule(s.topic(), Decision.valueOf(s.permission().toUpperCase(Locale.ROOT)),
                RuleAction.valueOf(s.action().toUpperCase(Locale.ROOT)), s.qos(), retain);
    }

    static List<Rule> fromJson(JsonArray a) {
        return a.asList().stream().map(e -> fromJson(e.getAsJsonObject())).toList();
    }
}
