package io.aviary.rules.internal;

import io.aviary.rules.Json;
import io.aviary.rules.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing along a field path (payload.a.b, payload.x[1]) as EMQX's emqx_rule_maps
 * does: arrays index from 1, negative indexes count from the end, a string met on the way is
 * decoded as JSON when it is JSON, and anything missing is undefined.
 */
public final class Paths {

    /** One step of a path: a map key, a constant array index, or an index read from a field. */
    public record Segment(String key, long index, Expr indexExpr) {
        static Segment key(String k) {
            return new Segment(k, 0, null);
        }

        static Segment index(long i) {
            return new Segment(null, i, null);
        }

        static Segment indexOf(Expr e) {
            return new Segment(null, 0, e);
        }

        boolean isKey() {
            return key != null;
        }

        @Override
        public String toString() {
            return key != null ? "." + key : indexExpr != null ? "[expr]" : "[" + index + "]";
        }
    }

    private Paths() {}

    /** Follows the segments from {@code value}; undefined as soon as a step is missing. */
    static Object get(Object value, Segment[] path, int from, Env env) {
        Object cur = value;
        for (int i = from; i < path.length && cur != null; i++) {
            cur = step(cur, path[i], env);
        }
        return cur;
    }

    static Object step(Object cur, Segment seg, Env env) {
        if (Values.isString(cur)) {
            cur = tryJson(cur);
            if (cur == null) {
                return null;
            }
        }
        if (seg.isKey()) {
            return cur instanceof Map<?, ?> m ? m.get(seg.key()) : null;
        }
        if (!(cur instanceof List<?> list)) {
            return null;
        }
        long i = seg.index();
        if (seg.indexExpr() != null) {
            Object idx = seg.indexExpr().eval(env);
            if (!Values.isInt(idx)) {
                return null;
            }
            i = ((Number) idx).longValue();
        }
        return nth(list, i);
    }

    /** EMQX's getnth: 1-based, negative from the end, 0 and out of range are undefined. */
    static Object nth(List<?> list, long i) {
        int n = list.size();
        if (i > 0 && i <= n) {
            return list.get((int) i - 1);
        }
        if (i < 0 && i >= -n) {
            return list.get(n + (int) i);
        }
        return null;
    }

    /** A JSON object or array string decoded, or null (see {@link Json#decodeContainer}). */
    static Object tryJson(Object s) {
        return Json.decodeContainer(s);
    }

    /**
     * Puts {@code value} at the path inside {@code root} (EMQX's nested_put): missing maps are
     * created, a JSON string on the way is decoded first, an index into something that is not an
     * array makes a one-element array, index 0 prepends and -0 appends. Maps and arrays on the
     * way are copied, never changed in place: they may be shared (the cached decoded payload).
     */
    static void put(Map<String, Object> root, Segment[] path, Object value, Env env) {
        String head = path[0].key();
        if (path.length == 1) {
            root.put(head, value);
            return;
        }
        root.put(head, putIn(root.get(head), path, 1, value, env));
    }

    @SuppressWarnings("unchecked")
    private static Object putIn(Object container, Segment[] path, int i, Object value, Env env) {
        if (i == path.length) {
            return value;
        }
        Segment seg = path[i];
        if (Values.isString(container)) {
            container = tryJson(container);
        }
        if (seg.isKey()) {
            Map<String, Object> map = container instanceof Map
                    ? new LinkedHashMap<>((Map<String, Object>) container)
                    : new LinkedHashMap<>();
            map.put(seg.key(), putIn(map.get(seg.key()), path, i + 1, value, env));
            return map;
        }
        if (!(container instanceof List)) {
            List<Object> one = new ArrayList<>(1);
            one.add(putIn(null, path, i + 1, value, env));
            return one;
        }
        List<Object> list = new ArrayList<>((List<Object>) container);
        long idx = seg.index();
        if (seg.indexExpr() != null) {
            Object v = seg.indexExpr().eval(env);
            if (!Values.isInt(v)) {
                return list;
            }
            idx = ((Number) v).longValue();
        }
        if (idx == HEAD) {
            list.add(0, putIn(null, path, i + 1, value, env));
        } else if (idx == TAIL) {
            list.add(putIn(null, path, i + 1, value, env));
        } else if (idx > 0 && idx <= list.size()) {
            list.set((int) idx - 1, putIn(list.get((int) idx - 1), path, i + 1, value, env));
        } else if (idx < 0 && idx >= -list.size()) {
            int at = list.size() + (int) idx;
            list.set(at, putIn(list.get(at), path, i + 1, value, env));
        }
        return list;
    }

    /** [0] in an alias: put at the head; [-0]: append (EMQX's head and tail). */
    static final long HEAD = Long.MIN_VALUE;
    static final long TAIL = Long.MIN_VALUE + 1;
}
