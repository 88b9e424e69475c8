package io.aviary.rules.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The registry of built-in functions: EMQX's name and arity to an implementation. The compiler
 * looks each call up once, so an unknown name or a wrong number of arguments is a compile error
 * and nothing is looked up per message.
 */
public final class Functions {

    /** Arity meaning "any number from the minimum up" (sprintf, concat of a list). */
    static final int VARARGS = -1;

    private static final Map<String, Map<Integer, Fn>> REGISTRY = new HashMap<>();
    private static final Map<String, Fn> VARIADIC = new HashMap<>();
    private static final Map<String, Integer> VARIADIC_MIN = new HashMap<>();

    static {
        MessageFunctions.register();
        MathFunctions.register();
        BitFunctions.register();
        ConvertFunctions.register();
        StringFunctions.register();
        MapArrayFunctions.register();
        HashCodecFunctions.register();
        TimeFunctions.register();
    }

    private Functions() {}

    static void register(String name, int arity, Fn fn) {
        REGISTRY.computeIfAbsent(name, k -> new HashMap<>()).put(arity, fn);
    }

    static void registerVarargs(String name, int minArity, Fn fn) {
        VARIADIC.put(name, fn);
        VARIADIC_MIN.put(name, minArity);
    }

    /** The implementation of name/arity, or null. */
    public static Fn lookup(String name, int arity) {
        Map<Integer, Fn> byArity = REGISTRY.get(name);
        Fn fn = byArity == null ? null : byArity.get(arity);
        if (fn == null && VARIADIC.containsKey(name) && arity >= VARIADIC_MIN.get(name)) {
            fn = VARIADIC.get(name);
        }
        return fn;
    }

    public static boolean exists(String name) {
        return REGISTRY.containsKey(name) || VARIADIC.containsKey(name);
    }

    /** The arities name accepts, for the compile error ("abs takes 1 argument"). */
    public static String arities(String name) {
        List<String> out = new ArrayList<>();
        Map<Integer, Fn> byArity = REGISTRY.get(name);
        if (byArity != null) {
            for (Integer a : new TreeSet<>(byArity.keySet())) {
                out.add(String.valueOf(a));
            }
        }
        if (VARIADIC.containsKey(name)) {
            out.add(VARIADIC_MIN.get(name) + " or more");
        }
        return String.join(" or ", out);
    }

    /** Every registered name (docs and tests check that each one is documented and tested). */
    public static TreeSet<String> names() {
        TreeSet<String> all = new TreeSet<>(REGISTRY.keySet());
        all.addAll(VARIADIC.keySet());
        return all;
    }
}
