package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonValues;
import io.aviary.api.rules.RuleAction;
import io.aviary.api.rules.RuleDefinition;
import io.aviary.api.rules.RuleMetrics;
import io.aviary.api.rules.RuleTestResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rules between the api's records and EMQX 5's JSON shapes: rule info, actions
 * ({function, args}), metrics ({id, metrics: {matched, "failed.exception", ...}, node_metrics})
 * and test answers. Bad fields answer 400 naming them.
 */
final class RuleJson {

    private RuleJson() {
    }

    static JsonObject rule(RuleDefinition r) {
        JsonObject o = new JsonObject();
        o.addProperty("id", r.id());
        o.addProperty("tenant", r.tenant());
        o.addProperty("sql", r.sql());
        o.add("from", JsonValues.toJson(r.from()));
        JsonArray actions = new JsonArray();
        for (RuleAction a : r.actions()) {
            if (a.function().indexOf(':') > 0 && a.args().isEmpty()) {
                actions.add(a.function()); // a data integration action, by id, as EMQX 5 writes it
                continue;
            }
            JsonObject ao = new JsonObject();
            ao.addProperty("function", a.function());
            ao.add("args", JsonValues.toJson(a.args()));
            actions.add(ao);
        }
        o.add("actions", actions);
        o.addProperty("enable", r.enable());
        o.addProperty("description", r.description());
        o.addProperty("created_at", Rfc3339.format(Instant.ofEpochMilli(r.createdAt())));
        return o;
    }

    /** The actions of a request body; absent means none. */
    static List<RuleAction> actions(JsonElement value) {
        List<RuleAction> out = new ArrayList<>();
        if (value == null || value.isJsonNull()) {
            return out;
        }
        if (!value.isJsonArray()) {
            throw ApiException.badRequest("field 'actions' must be an array of action ids and {function, args}");
        }
        int i = 0;
        for (JsonElement e : value.getAsJsonArray()) {
            String field = "actions[" + i++ + "]";
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                out.add(new RuleAction(e.getAsString(), Map.of())); // "http:a1": an action by id
                continue;
            }
            if (!e.isJsonObject()) {
                throw ApiException.badRequest("field '" + field + "' must be an action id \"type:name\" or an object"
                        + " {function, args}");
            }
            JsonObject a = e.getAsJsonObject();
            JsonElement f = a.get("function");
            if (f == null || !f.isJsonPrimitive() || !f.getAsJsonPrimitive().isString()) {
                throw ApiException.badRequest("field '" + field + ".function' is required: \"republish\" or \"console\"");
            }
            JsonElement args = a.get("args");
            if (args != null && !args.isJsonNull() && !args.isJsonObject()) {
                throw ApiException.badRequest("field '" + field + ".args' must be an object");
            }
            Map<String, Object> map = args == null || args.isJsonNull() ? Map.of()
                    : JsonValues.toMap(args.getAsJsonObject(), field + ".args");
            out.add(new RuleAction(f.getAsString(), map));
        }
        return out;
    }

    static JsonObject metrics(String id, String node, RuleMetrics m) {
        JsonObject counts = new JsonObject();
        counts.addProperty("matched", m.matched());
        counts.addProperty("passed", m.passed());
        counts.addProperty("failed", m.failed());
        counts.addProperty("failed.exception", m.failedException());
        counts.addProperty("failed.no_result", m.failedNoResult());
        counts.addProperty("failed.overloaded", m.failedOverloaded());
        counts.addProperty("failed.loop", m.failedLoop());
        counts.addProperty("actions.total", m.actionsTotal());
        counts.addProperty("actions.success", m.actionsSuccess());
        counts.addProperty("actions.failed", m.actionsFailed());
        counts.addProperty("actions.failed.out_of_service", 0);
        counts.addProperty("actions.failed.unknown", m.actionsFailed());
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.add("metrics", counts);
        JsonObject nodeMetrics = new JsonObject();
        nodeMetrics.addProperty("node", node);
        nodeMetrics.add("metrics", counts.deepCopy());
        JsonArray nodes = new JsonArray();
        nodes.add(nodeMetrics);
        o.add("node_metrics", nodes);
        JsonArray actions = new JsonArray();
        for (RuleMetrics.ActionMetrics a : m.actions()) {
            JsonObject ao = new JsonObject();
            ao.addProperty("function", a.function());
            ao.addProperty("success", a.success());
            ao.addProperty("failed", a.failed());
            ao.addProperty("last_error", a.lastError());
            actions.add(ao);
        }
        o.add("actions", actions);
        JsonObject last = null;
        if (m.lastError() != null) {
            last = new JsonObject();
            last.addProperty("reason", m.lastError());
            last.addProperty("at", Rfc3339.formatMillis(m.lastErrorAt()));
        }
        o.add("last_error", last);
        return o;
    }

    /** A test context: a JSON object, as plain values. */
    static Map<String, Object> context(JsonObject body) {
        JsonElement c = body.get("context");
        if (c == null || c.isJsonNull()) {
            return Map.of();
        }
        if (!c.isJsonObject()) {
            throw ApiException.badRequest("field 'context' must be an object of columns, with an optional event_type");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) plain(c);
        return map;
    }

    /** JSON as plain values where null is a value (a test context may hold JSON null). */
    private static Object plain(JsonElement e) {
        if (e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            e.getAsJsonObject().entrySet().forEach(x -> m.put(x.getKey(), plain(x.getValue())));
            return m;
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> l.add(plain(x)));
            return l;
        }
        var p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            java.math.BigDecimal d = p.getAsBigDecimal();
            try {
                return d.longValueExact();
            } catch (ArithmeticException notWhole) {
                return d.doubleValue();
            }
        }
        return p.getAsString();
    }

    /** 412 as EMQX answers it when the test context is filtered out, saying which way. */
    static ApiException notMatched(RuleTestResult r) {
        return new ApiException(412, "NOT_MATCH", r.status() == RuleTestResult.Status.NO_MATCH
                ? "SQL Not Match: FROM does not take this topic or event"
                : "SQL Not Match: WHERE filtered the context out");
    }

    /** A rule_test answer: one output for SELECT, the array for FOREACH. */
    static JsonElement outputs(RuleTestResult r, boolean foreach) {
        if (!foreach && r.outputs().size() == 1) {
            return JsonValues.toJson(r.outputs().get(0));
        }
        return JsonValues.toJson(r.outputs());
    }
}
