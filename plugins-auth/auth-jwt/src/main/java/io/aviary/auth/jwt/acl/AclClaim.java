package io.aviary.auth.jwt.acl;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a token's {@code acl} claim, in either of EMQX's formats:
 * <ul>
 * <li>rules, checked in order, first match wins, no match IGNOREs:
 *     {@code [{"permission": "allow", "action": "publish", "topic": "t/${clientid}", "qos": [0, 1], "retain": false}]}
 *     ({@code action}: publish, subscribe or all; {@code topic} or {@code topics}; a topic may be
 *     {@code "eq a/#"} for an exact match);</li>
 * <li>the older allow lists {@code {"pub": [...], "sub": [...], "all": [...]}}: anything not listed is denied.</li>
 * </ul>
 * Placeholder values holding {@code / + #} (or missing) make a topic match nothing. The same
 * rules come in the {@code acl} field of an HTTP authentication answer (EMQX 5.8), so auth-http
 * copies this package into its bundle (plugins share code only by copying, never by import).
 */
public final class AclClaim {
    private record Rule(Decision permission, boolean publish, boolean subscribe, int qosMask, Boolean retain,
                        List<Pattern> topics) {
    }

    /**
     * A rule's topic, compiled once: an exact topic ({@code eq }), the levels of a filter without
     * placeholders, or a filter with placeholders (substituted, then split, per check).
     */
    private record Pattern(String exact, String[] levels, String withPlaceholders) {
        static Pattern of(String topic) {
            if (topic.startsWith("eq ")) {
                return new Pattern(topic.substring(3), null, null);
            }
            if (topic.contains("${username}") || topic.contains("${clientid}")) {
                return new Pattern(null, null, topic);
            }
            return new Pattern(null, topic.split("/", -1), null);
        }
    }

    private final List<Rule> rules;
    private final boolean denyRest;

    private AclClaim(List<Rule> rules, boolean denyRest) {
        this.rules = rules;
        this.denyRest = denyRest;
    }

    /** @throws RuntimeException (IllegalArgumentException, or Gson's) when the rules do not parse */
    public static AclClaim parse(String json) {
        JsonElement acl = JsonParser.parseString(json);
        List<Rule> rules = new ArrayList<>();
        if (acl.isJsonObject()) {
            JsonObject o = acl.getAsJsonObject();
            addAllow(rules, o, "pub", true, false);
            addAllow(rules, o, "sub", false, true);
            addAllow(rules, o, "all", true, true);
            return new AclClaim(List.copyOf(rules), true);
        }
        for (JsonElement e : acl.getAsJsonArray()) {
            JsonObject r = e.getAsJsonObject();
            Decision permission = "deny".equals(text(r, "permission")) ? Decision.DENY : Decision.ALLOW;
            if (!"allow".equals(text(r, "permission")) && permission != Decision.DENY) {
                throw new IllegalArgumentException("acl: permission must be allow or deny");
            }
            String action = r.has("action") ? text(r, "action") : "all";
            boolean pub = action.equals("publish") || action.equals("all");
            boolean sub = action.equals("subscribe") || action.equals("all");
            if (!pub && !sub) {
                throw new IllegalArgumentException("acl: action must be publish, subscribe or all");
            }
            List<String> topics = new ArrayList<>();
            if (r.has("topic")) {
                topics.add(text(r, "topic"));
            }
            if (r.has("topics")) {
                r.getAsJsonArray("topics").forEach(t -> topics.add(t.getAsString()));
            }
            int mask = 7;
            if (r.has("qos")) {
                mask = 0;
                JsonElement q = r.get("qos");
                for (JsonElement level : q.isJsonArray() ? q.getAsJsonArray() : single(q)) {
                    mask |= 1 << level.getAsInt();
                }
            }
            Boolean retain = r.has("retain") && r.get("retain").isJsonPrimitive() && r.get("retain").getAsJsonPrimitive().isBoolean()
                    ? r.get("retain").getAsBoolean() : null;
            rules.add(new Rule(permission, pub, sub, mask, retain, compile(topics)));
        }
        return new AclClaim(List.copyOf(rules), false);
    }

    private static JsonArray single(JsonElement e) {
        JsonArray a = new JsonArray();
        a.add(e);
        return a;
    }

    private static void addAllow(List<Rule> rules, JsonObject o, String key, boolean pub, boolean sub) {
        if (o.has(key)) {
            List<String> topics = new ArrayList<>();
            o.getAsJsonArray(key).forEach(t -> topics.add(t.getAsString()));
            rules.add(new Rule(Decision.ALLOW, pub, sub, 7, null, compile(topics)));
        }
    }

    private static List<Pattern> compile(List<String> topics) {
        return topics.stream().map(Pattern::of).toList();
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    public Decision decide(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        String[] levels = null; // the topic's, split once for all rules
        for (Rule r : rules) {
            boolean kind = action == Action.PUBLISH ? r.publish() : r.subscribe();
            if (!kind || (r.qosMask() & (1 << Math.max(0, Math.min(qos, 2)))) == 0
                    || (action == Action.PUBLISH && r.retain() != null && r.retain() != retain)) {
                continue;
            }
            for (Pattern pattern : r.topics()) {
                if (pattern.exact() != null) {
                    if (pattern.exact().equals(topic)) {
                        return r.permission();
                    }
                    continue;
                }
                if (levels == null) {
                    levels = topic.split("/", -1);
                }
                String[] filter = pattern.levels() != null ? pattern.levels() : substituted(pattern.withPlaceholders(), client);
                if (filter != null && covers(filter, levels)) {
                    return r.permission();
                }
            }
        }
        return denyRest ? Decision.DENY : Decision.IGNORE;
    }

    /** The filter's levels with the client's values in, or null when a value is missing or not one level. */
    private static String[] substituted(String pattern, ClientInfo client) {
        String filter = pattern;
        if (filter.contains("${username}")) {
            if (!safe(client.username())) {
                return null;
            }
            filter = filter.replace("${username}", client.username());
        }
        if (filter.contains("${clientid}")) {
            if (!safe(client.clientId())) {
                return null;
            }
            filter = filter.replace("${clientid}", client.clientId());
        }
        return filter.split("/", -1);
    }

    private static boolean safe(String v) {
        return v != null && !v.isEmpty() && v.indexOf('/') < 0 && v.indexOf('+') < 0 && v.indexOf('#') < 0;
    }

    /** The rule filter's levels cover the topic name's, or a requested filter's whose wildcards it has too (as authz-file). */
    private static boolean covers(String[] f, String[] t) {
        if (t[0].startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || (f[i].equals("+") ? t[i].equals("#") : !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
