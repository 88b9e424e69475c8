package io.aviary.rules.engine;

import io.aviary.rules.Values;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Crosses the boundary between the rule language's value model (byte[] payloads, JSON null as
 * a marker object, Long and Double) and the plain JSON values of the api (String, Long, Double,
 * Boolean, Map, List, null), in both directions: test contexts come in from the REST API, outputs
 * and rendered actions go back out.
 */
final class PlainValues {

    private PlainValues() {}

    /** A rule value as a plain JSON value: binaries as UTF-8 text, JSON null and undefined as null. */
    static Object toPlain(Object v) {
        if (v == null || v == Values.JSON_NULL) {
            return null;
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), toPlain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(toPlain(x)));
            return out;
        }
        return Values.toText(v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toPlainMap(Map<String, Object> m) {
        return (Map<String, Object>) toPlain(m);
    }

    /** A plain JSON value as a rule value: whole numbers as Long, others as Double, null as JSON null. */
    static Object toRule(Object v) {
        if (v == null) {
            return Values.JSON_NULL;
        }
        if (v instanceof Number n && !(v instanceof Long) && !(v instanceof Double)) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (Object) n.longValue() : (Object) d;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), toRule(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(toRule(x)));
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toRuleMap(Map<String, Object> m) {
        return (Map<String, Object>) toRule(m);
    }
}
