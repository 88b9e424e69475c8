package io.aviary.rules.internal;

import io.aviary.rules.TopicFilters;
import io.aviary.rules.Values;
import java.util.List;
import java.util.Map;

/**
 * EMQX's message functions (msgid(), topic(2), clientid(), payload('a.b'), ...), which read the
 * message's columns directly, the null helpers (null(), coalesce, coalesce_ne) and getenv.
 */
final class MessageFunctions {

    private MessageFunctions() {}

    static void register() {
        column("msgid", "id");
        column("qos", "qos");
        column("topic", "topic");
        column("clientid", "clientid");
        column("clientip", "peerhost");
        column("peerhost", "peerhost");
        column("username", "username");
        column("payload", "payload");
        Functions.register("flags", 0, (a, env) -> {
            Object f = env.context().get("flags");
            return f == null ? new java.util.LinkedHashMap<String, Object>() : f;
        });
        Functions.register("flag", 1, (a, env) -> {
            Object f = env.context().get("flags");
            return f instanceof Map<?, ?> m ? m.get(Values.toText(a[0])) : null;
        });
        Functions.register("topic", 1, (a, env) -> {
            long n = Args.integer("topic", a, 0);
            Object t = env.context().get("topic");
            if (t == null) {
                return null;
            }
            String[] words = Values.text(t).split("/", -1);
            if (n < 1 || n > words.length) {
                throw Args.bad("topic", a, "the topic " + Values.describe(t) + " has " + words.length + " levels");
            }
            return words[(int) n - 1];
        });
        Functions.register("payload", 1, (a, env) -> {
            Object p = env.context().get("payload");
            if (!Values.isString(p)) {
                return null;
            }
            Object json = Paths.tryJson(p);
            return json == null ? null : MapArrayFunctions.getPath(json, Args.str("payload", a, 0), null);
        });
        Functions.register("contains_topic", 2, (a, env) -> findFilter(a, false) != null);
        Functions.register("contains_topic", 3, (a, env) -> qosMatches(findFilter(a, false), a[2]));
        Functions.register("contains_topic_match", 2, (a, env) -> findFilter(a, true) != null);
        Functions.register("contains_topic_match", 3, (a, env) -> qosMatches(findFilter(a, true), a[2]));
        Functions.register("null", 0, (a, env) -> null);
        // EMQX reads EMQXVAR_<Name> from the environment, once; unset is ""
        Functions.register("getenv", 1, (a, env) -> ENV.computeIfAbsent(Args.str("getenv", a, 0), name -> {
            String v = System.getenv("EMQXVAR_" + name);
            return v == null ? "" : v;
        }));
        Functions.register("coalesce", 1, (a, env) -> coalesce(Args.list("coalesce", a, 0), false));
        Functions.register("coalesce", 2, (a, env) -> coalesce(List.of(nullable(a[0]), nullable(a[1])), false));
        Functions.register("coalesce_ne", 1, (a, env) -> coalesce(Args.list("coalesce_ne", a, 0), true));
        Functions.register("coalesce_ne", 2, (a, env) -> coalesce(List.of(nullable(a[0]), nullable(a[1])), true));
    }

    private static final Object UNDEFINED = new Object();
    private static final java.util.concurrent.ConcurrentHashMap<String, String> ENV = new java.util.concurrent.ConcurrentHashMap<>();

    private static Object nullable(Object v) {
        return v == null ? UNDEFINED : v;
    }

    private static Object coalesce(List<?> values, boolean skipEmpty) {
        for (Object v : values) {
            if (v == null || v == UNDEFINED || (skipEmpty && Values.isEmptyString(v))) {
                continue;
            }
            return v;
        }
        return null;
    }

    private static void column(String fn, String column) {
        Functions.register(fn, 0, (a, env) -> env.context().get(column));
    }

    /** The first {topic, qos} entry of the list whose topic equals (or, with match, matches) the topic. */
    private static Map<?, ?> findFilter(Object[] a, boolean match) {
        String fn = match ? "contains_topic_match" : "contains_topic";
        List<Object> filters = Args.list(fn, a, 0);
        Object topic = a[1];
        for (Object f : filters) {
            if (f instanceof Map<?, ?> m && m.get("topic") != null) {
                Object filter = m.get("topic");
                boolean hit = match
                        ? Values.isString(filter) && Values.isString(topic)
                                && TopicFilters.matches(Values.text(topic), Values.text(filter))
                        : Values.equal(filter, topic);
                if (hit) {
                    return m;
                }
            }
        }
        return null;
    }

    private static boolean qosMatches(Map<?, ?> entry, Object qos) {
        return entry != null && Values.exactlyEqual(entry.get("qos"), qos);
    }
}
