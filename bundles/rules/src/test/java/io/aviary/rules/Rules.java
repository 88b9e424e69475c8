package io.aviary.rules;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: a message context like the broker's, and one-expression evaluation. */
final class Rules {

    private Rules() {}

    /** A message published by c1 on t/a with this payload (bytes, as the broker hands it over). */
    static MapRuleContext message(String payload) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", "0006225A2D1A2B5CF4420000008A0003");
        c.put("clientid", "c1");
        c.put("username", "u1");
        c.put("payload", payload.getBytes(StandardCharsets.UTF_8));
        c.put("peerhost", "127.0.0.1");
        c.put("topic", "t/a");
        c.put("qos", 1L);
        c.put("flags", new LinkedHashMap<>(Map.of("dup", false, "retain", true)));
        c.put("headers", new LinkedHashMap<>());
        c.put("pub_props", new LinkedHashMap<>());
        c.put("timestamp", 1708933353472L);
        c.put("publish_received_at", 1708933353472L);
        c.put("node", "aviary@127.0.0.1");
        return new MapRuleContext(c);
    }

    /** The outputs of sql on a message with this payload. */
    static List<Map<String, Object>> run(String sql, String payload) {
        try {
            return RuleSql.compile(sql).apply(message(payload));
        } catch (RuleSqlException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The single output of sql (which must pass). */
    static Map<String, Object> one(String sql, String payload) {
        List<Map<String, Object>> out = run(sql, payload);
        if (out.size() != 1) {
            throw new AssertionError("expected one output, got " + out);
        }
        return out.get(0);
    }

    /** The value of one expression, evaluated on a message with a JSON payload. */
    static Object eval(String expr) {
        return one("SELECT " + expr + " AS r FROM \"t/#\"", "{\"a\": 1, \"s\": \"x\"}").get("r");
    }

    /** The value of one expression as text (byte results decoded as UTF-8). */
    static String text(String expr) {
        Object v = eval(expr);
        return v == null ? null : Values.text(v);
    }

    /** The reason an expression fails with. */
    static String failure(String expr) {
        try {
            Object v = eval(expr);
            throw new AssertionError(expr + " should fail but gave " + Values.describe(v));
        } catch (RuleEvalException e) {
            return e.getMessage();
        }
    }
}
