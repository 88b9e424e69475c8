package io.aviary.rules.internal;

import io.aviary.rules.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Map and array functions. Maps are values: map_put and mput return a changed copy and never
 * touch the map they were given. map_get/map_put take a dotted key path ('a.b'); mget/mput a
 * single key; both accept a JSON object string for the map. Arrays index from 1.
 */
final class MapArrayFunctions {

    private MapArrayFunctions() {}

    static void register() {
        Functions.register("map_new", 0, (a, env) -> new LinkedHashMap<String, Object>());
        Functions.register("map_get", 2, (a, env) -> getPath(a[1], Args.str("map_get", a, 0), null));
        Functions.register("map_get", 3, (a, env) -> getPath(a[1], Args.str("map_get", a, 0), a[2]));
        Functions.register("map_put", 3, (a, env) -> putPath(a[2] instanceof Map ? a[2] : null,
                Args.str("map_put", a, 0).split("\\.", -1), 0, a[1]));
        Functions.register("mget", 2, (a, env) -> mget(a, null));
        Functions.register("mget", 3, (a, env) -> mget(a, a[2]));
        Functions.register("mput", 3, (a, env) -> {
            Map<String, Object> m = ConvertFunctions.toMap("mput", a, 2);
            if (a[0] instanceof List<?> keys) {
                // a key array is a path, as EMQX's documentation shows: mput(['a', 'b'], 2, m)
                String[] path = new String[keys.size()];
                for (int i = 0; i < path.length; i++) {
                    path[i] = Values.toText(keys.get(i));
                }
                return putPath(m, path, 0, a[1]);
            }
            Map<String, Object> copy = new LinkedHashMap<>(m);
            copy.put(Values.toText(a[0]), a[1]);
            return copy;
        });
        Functions.register("map_keys", 1, (a, env) -> new ArrayList<Object>(ConvertFunctions.toMap("map_keys", a, 0).keySet()));
        Functions.register("map_values", 1, (a, env) -> new ArrayList<Object>(ConvertFunctions.toMap("map_values", a, 0).values()));
        Functions.register("map_size", 1, (a, env) -> (long) ConvertFunctions.toMap("map_size", a, 0).size());
        Functions.register("map_to_entries", 1, (a, env) -> {
            List<Object> out = new ArrayList<>();
            for (Map.Entry<String, Object> e : ConvertFunctions.toMap("map_to_entries", a, 0).entrySet()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("key", e.getKey());
                entry.put("value", e.getValue());
                out.add(entry);
            }
            return out;
        });

        Functions.register("nth", 2, (a, env) -> {
            long n = Args.integer("nth", a, 0);
            List<Object> l = Args.list("nth", a, 1);
            if (n < 1 || n > l.size()) {
                throw Args.bad("nth", a, "index " + n + " is outside 1.." + l.size());
            }
            return l.get((int) n - 1);
        });
        Functions.register("length", 1, (a, env) -> (long) Args.list("length", a, 0).size());
        Functions.register("sublist", 2, (a, env) -> {
            long len = Args.integer("sublist", a, 0);
            List<Object> l = Args.list("sublist", a, 1);
            if (len < 0) {
                throw Args.bad("sublist", a, "the length must not be negative");
            }
            return new ArrayList<>(l.subList(0, (int) Math.min(len, l.size())));
        });
        Functions.register("sublist", 3, (a, env) -> {
            long start = Args.integer("sublist", a, 0);
            long len = Args.integer("sublist", a, 1);
            List<Object> l = Args.list("sublist", a, 2);
            if (start < 1 || start > l.size() + 1 || len < 0) {
                throw Args.bad("sublist", a, "the start must be 1.." + (l.size() + 1) + " and the length not negative");
            }
            return new ArrayList<>(l.subList((int) start - 1, (int) Math.min(l.size(), start - 1 + len)));
        });
        Functions.register("first", 1, (a, env) -> {
            List<Object> l = Args.list("first", a, 0);
            if (l.isEmpty()) {
                throw Args.bad("first", a, "the array is empty");
            }
            return l.get(0);
        });
        Functions.register("last", 1, (a, env) -> {
            List<Object> l = Args.list("last", a, 0);
            if (l.isEmpty()) {
                throw Args.bad("last", a, "the array is empty");
            }
            return l.get(l.size() - 1);
        });
        Functions.register("contains", 2, (a, env) -> {
            for (Object o : Args.list("contains", a, 1)) {
                if (Values.exactlyEqual(o, a[0])) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Reads a dotted key path ('a.b.c') from a map or a JSON object string. */
    static Object getPath(Object map, String dotted, Object dflt) {
        Object cur = map;
        for (String key : dotted.split("\\.", -1)) {
            if (Values.isString(cur)) {
                cur = Paths.tryJson(cur);
            }
            if (!(cur instanceof Map<?, ?> m)) {
                return dflt;
            }
            cur = m.get(key);
            if (cur == null) {
                return dflt;
            }
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    private static Object putPath(Object container, String[] keys, int i, Object value) {
        if (i == keys.length) {
            return value;
        }
        Map<String, Object> copy = container instanceof Map
                ? new LinkedHashMap<>((Map<String, Object>) container)
                : new LinkedHashMap<>();
        copy.put(keys[i], putPath(copy.get(keys[i]), keys, i + 1, value));
        return copy;
    }

    private static Object mget(Object[] a, Object dflt) {
        Map<String, Object> m = ConvertFunctions.toMap("mget", a, 1);
        if (a[0] instanceof List<?> keys) {
            Object cur = m;
            for (Object k : keys) {
                if (!(cur instanceof Map<?, ?> cm) || (cur = cm.get(Values.toText(k))) == null) {
                    return dflt;
                }
            }
            return cur;
        }
        if (!Values.isString(a[0])) {
            return dflt;
        }
        Object v = m.get(Values.text(a[0]));
        return v == null ? dflt : v;
    }
}
