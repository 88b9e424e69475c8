package io.aviary.rules.internal;

import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import java.util.List;
import java.util.Map;

/**
 * Argument checks for built-in functions: each returns the argument as the Java type the
 * function needs or throws EMQX's bad_sql_function_argument with the function, the position and
 * what it got, which is what the rule's metrics and trace then show.
 */
final class Args {

    private Args() {}

    static RuleEvalException bad(String fn, Object[] a, String why) {
        return new RuleEvalException("bad_sql_function_argument: " + fn + "(" + Nodes.describeArgs(a) + "): " + why);
    }

    private static RuleEvalException expected(String fn, Object[] a, int i, String what) {
        return bad(fn, a, "argument " + (i + 1) + " must be " + what + ", got " + Values.typeName(a[i]));
    }

    /** A string argument as text. */
    static String str(String fn, Object[] a, int i) {
        if (!Values.isString(a[i])) {
            throw expected(fn, a, i, "a string");
        }
        return Values.text(a[i]);
    }

    /** A string argument as bytes. */
    static byte[] bin(String fn, Object[] a, int i) {
        if (!Values.isString(a[i])) {
            throw expected(fn, a, i, "a string");
        }
        return Values.bytes(a[i]);
    }

    /**
     * A string argument for EMQX's string functions, which also take the atoms true and false
     * (as their names) but refuse undefined and the JSON null.
     */
    static String text(String fn, Object[] a, int i) {
        Object v = a[i];
        if (Values.isString(v)) {
            return Values.text(v);
        }
        if (v instanceof Boolean) {
            return v.toString();
        }
        throw expected(fn, a, i, "a string");
    }

    static long integer(String fn, Object[] a, int i) {
        if (!Values.isInt(a[i])) {
            throw expected(fn, a, i, "an integer");
        }
        return ((Number) a[i]).longValue();
    }

    static int smallInt(String fn, Object[] a, int i) {
        long v = integer(fn, a, i);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw bad(fn, a, "argument " + (i + 1) + " is out of range");
        }
        return (int) v;
    }

    static double number(String fn, Object[] a, int i) {
        if (!Values.isNumber(a[i])) {
            throw expected(fn, a, i, "a number");
        }
        return ((Number) a[i]).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(String fn, Object[] a, int i) {
        if (!(a[i] instanceof List)) {
            throw expected(fn, a, i, "an array");
        }
        return (List<Object>) a[i];
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(String fn, Object[] a, int i) {
        if (!(a[i] instanceof Map)) {
            throw expected(fn, a, i, "a map");
        }
        return (Map<String, Object>) a[i];
    }

    /** One of a fixed set of option strings. */
    static String option(String fn, Object[] a, int i, String... allowed) {
        String s = str(fn, a, i);
        for (String ok : allowed) {
            if (ok.equals(s)) {
                return s;
            }
        }
        throw bad(fn, a, "argument " + (i + 1) + " must be one of " + String.join(", ", allowed));
    }
}
