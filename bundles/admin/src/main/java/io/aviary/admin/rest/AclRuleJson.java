package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.aviary.admin.error.ApiException;
import io.aviary.api.auth.AclRuleStore.Rule;
import io.aviary.api.auth.AclRuleStore.RuleAction;
import io.aviary.api.auth.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EMQX 5's authorization rule items, {@code {topic, permission, action, qos?, retain?}}, read and
 * written for the built-in database's rules endpoints. Input takes what EMQX takes ({@code qos}
 * as a level, a list of levels or {@code "0,1"}; {@code retain} as true, false, "all", 0 or 1);
 * anything else is a 400 naming the field by its path in the body, e.g. {@code rules[2].qos}.
 * Output is EMQX's: {@code qos} always a list, {@code retain} true, false or "all".
 */
final class AclRuleJson {
    private static final Set<String> FIELDS = Set.of("topic", "permission", "action", "qos", "retain");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> PLACEHOLDERS = Set.of("username", "clientid");

    private AclRuleJson() {
    }

    /** The {@code rules} array of a body; {@code field} is its path in the body, e.g. "rules" or "[0].rules". */
    static List<Rule> rules(JsonElement rules, String field) {
        if (rules == null || rules.isJsonNull()) {
            throw ApiException.badRequest("field '" + field + "' is required");
        }
        if (!rules.isJsonArray()) {
            throw ApiException.badRequest("field '" + field + "' must be an array of rules");
        }
        List<Rule> out = new ArrayList<>();
        JsonArray a = rules.getAsJsonArray();
        for (int i = 0; i < a.size(); i++) {
            out.add(rule(a.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    static Rule rule(JsonElement element, String field) {
        if (!element.isJsonObject()) {
            throw ApiException.badRequest("field '" + field + "' must be a rule object {topic, permission, action, qos?, retain?}");
        }
        JsonObject o = element.getAsJsonObject();
        for (String name : o.keySet()) {
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("field '" + field + "." + name + "' is not a rule field (topic, permission,"
                        + " action, qos, retain)");
            }
        }
        String topic = topic(text(o, "topic", field), field + ".topic");
        Decision permission = switch (text(o, "permission", field)) {
            case "allow" -> Decision.ALLOW;
            case "deny" -> Decision.DENY;
            default -> throw ApiException.badRequest("field '" + field + ".permission' must be \"allow\" or \"deny\"");
        };
        RuleAction action = switch (text(o, "action", field)) {
            case "publish" -> RuleAction.PUBLISH;
            case "subscribe" -> RuleAction.SUBSCRIBE;
            case "all" -> RuleAction.ALL;
            default -> throw ApiException.badRequest("field '" + field + ".action' must be \"publish\", \"subscribe\" or \"all\"");
        };
        return new Rule(topic, permission, action, qos(o.get("qos"), field + ".qos"), retain(o.get("retain"), field + ".retain"));
    }

    private static String text(JsonObject o, String name, String field) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw ApiException.badRequest("field '" + field + "." + name + "' is required");
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw ApiException.badRequest("field '" + field + "." + name + "' must be a string");
        }
        return e.getAsString();
    }

    /** A topic filter, or "eq " and an exact topic; placeholders only ${username} and ${clientid}. */
    static String topic(String topic, String field) {
        String filter = topic.startsWith("eq ") ? topic.substring(3) : topic;
        TopicNames.validFilter(field, filter);
        Matcher m = PLACEHOLDER.matcher(filter);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw ApiException.badRequest("field '" + field + "': unknown placeholder " + m.group()
                        + " (${username} and ${clientid} are replaced)");
            }
        }
        return topic;
    }

    /** Null (absent) means all levels, as EMQX's default [0, 1, 2]. */
    private static List<Integer> qos(JsonElement e, String field) {
        if (e == null || e.isJsonNull()) {
            return Rule.ALL_QOS;
        }
        TreeSet<Integer> levels = new TreeSet<>();
        if (e.isJsonArray()) {
            for (JsonElement level : e.getAsJsonArray()) {
                levels.add(level(level, field));
            }
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && e.getAsString().contains(",")) {
            for (String level : e.getAsString().split(",", -1)) {
                levels.add(level(new JsonPrimitive(level.strip()), field));
            }
        } else {
            levels.add(level(e, field));
        }
        if (levels.isEmpty()) {
            throw ApiException.badRequest("field '" + field + "' must name at least one QoS level");
        }
        return List.copyOf(levels);
    }

    private static int level(JsonElement e, String field) {
        if (e.isJsonPrimitive()) {
            String s = e.getAsJsonPrimitive().getAsString();
            if (s.equals("0") || s.equals("1") || s.equals("2")) {
                return Integer.parseInt(s);
            }
        }
        throw ApiException.badRequest("field '" + field + "' must be QoS levels 0, 1 or 2 (a level, a list or \"0,1\"), was " + e);
    }

    /** Null (absent or "all") means retained and not retained messages alike. */
    private static Boolean retain(JsonElement e, String field) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive()) {
            switch (e.getAsJsonPrimitive().getAsString().toLowerCase(Locale.ROOT)) {
                case "true", "1" -> {
                    return true;
                }
                case "false", "0" -> {
                    return false;
                }
                case "all" -> {
                    return null;
                }
                default -> {
                }
            }
        }
        throw ApiException.badRequest("field '" + field + "' must be true, false or \"all\", was " + e);
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
}
