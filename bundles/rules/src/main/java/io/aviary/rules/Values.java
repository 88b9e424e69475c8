package io.aviary.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The rule engine's value model, in one place. EMQX rules compute on Erlang terms; each kind
 * maps to one Java representation, and every function, operator and template goes through the
 * helpers here so that the kinds behave the same everywhere:
 *
 * <ul>
 *   <li><b>binary / string</b>: {@link String} for text, {@code byte[]} for raw bytes (the message
 *       payload, gzip output, hexstr2bin, ...). Both are "strings" to is_str and to every string
 *       function ({@link #text} decodes bytes as UTF-8, {@link #bytes} encodes text).</li>
 *   <li><b>integer</b>: {@link Long} (Integer/Short/Byte are accepted as input).</li>
 *   <li><b>float</b>: {@link Double} (Float accepted).</li>
 *   <li><b>boolean</b>: {@link Boolean}.</li>
 *   <li><b>map</b>: {@code Map<String, Object>} (insertion ordered when the engine builds it).</li>
 *   <li><b>array</b>: {@code List<Object>}.</li>
 *   <li><b>undefined</b>: Java {@code null}: a missing field, a function with no result.</li>
 *   <li><b>JSON null</b> ({@link #JSON_NULL}): EMQX keeps the JSON literal null apart from
 *       undefined (is_null(payload.x) is false for {"x": null}, is_null_var is true).</li>
 *   <li><b>bits</b> ({@link BitString}): a bitstring whose length is not a multiple of 8 (only
 *       subbits with type 'bits' makes one).</li>
 * </ul>
 *
 * Comparisons follow EMQX: undefined equals only undefined and orders against nothing (any
 * comparison with one undefined side is false); a number against a string converts the string
 * to a number; booleans against strings compare by name; otherwise Erlang's term order (number
 * &lt; atom &lt; map &lt; array &lt; string).
 */
public final class Values {

    /** The JSON literal null (an Erlang atom in EMQX, distinct from undefined). */
    public static final Object JSON_NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A bitstring that does not end on a byte boundary: {@code bits} bits, left-aligned in data. */
    public record BitString(byte[] data, int bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof BitString b && b.bits == bits && Arrays.equals(b.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + bits;
        }
    }

    private Values() {}

    public static boolean isString(Object v) {
        return v instanceof String || v instanceof byte[];
    }

    public static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    public static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float;
    }

    public static boolean isNumber(Object v) {
        return isInt(v) || isFloat(v);
    }

    /** Text of a string value (bytes decoded as UTF-8). */
    public static String text(Object v) {
        return v instanceof String s ? s : new String((byte[]) v, StandardCharsets.UTF_8);
    }

    /** Bytes of a string value (text encoded as UTF-8). */
    public static byte[] bytes(Object v) {
        return v instanceof byte[] b ? b : ((String) v).getBytes(StandardCharsets.UTF_8);
    }

    public static boolean isEmptyString(Object v) {
        return v instanceof String s ? s.isEmpty() : v instanceof byte[] b && b.length == 0;
    }

    /** EMQX's any_to_str (emqx_utils_conv:bin): how str(), concat and '+' turn a value into text. */
    public static Object toStr(Object v) {
        if (v instanceof String || v instanceof byte[]) {
            return v;
        }
        if (v instanceof BitString b) {
            return b.data();
        }
        return toText(v);
    }

    /**
     * Concatenation as EMQX's concat and '+': text when both sides are text, bytes (kept exact)
     * when either side is binary data.
     */
    public static Object concat(Object a, Object b) {
        Object sa = toStr(a);
        Object sb = toStr(b);
        if (sa instanceof String x && sb instanceof String y) {
            return x.concat(y);
        }
        byte[] ba = bytes(sa);
        byte[] bb = bytes(sb);
        byte[] out = Arrays.copyOf(ba, ba.length + bb.length);
        System.arraycopy(bb, 0, out, ba.length, bb.length);
        return out;
    }

    /** {@link #toStr} as Java text. */
    public static String toText(Object v) {
        if (v == null) {
            return "undefined";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (isInt(v)) {
            return Long.toString(((Number) v).longValue());
        }
        if (isFloat(v)) {
            return formatFloat(((Number) v).doubleValue());
        }
        if (v instanceof Boolean || v == JSON_NULL) {
            return v.toString();
        }
        if (v instanceof List<?> l) {
            String printable = printableList(l);
            if (printable != null) {
                return printable;
            }
        }
        if (v instanceof Map || v instanceof List) {
            return Json.encode(v);
        }
        if (v instanceof BitString b) {
            return new String(b.data(), StandardCharsets.UTF_8);
        }
        return v.toString();
    }

    /** Erlang's float_to_binary(F, [{decimals, 10}, compact]): at most 10 decimals, at least one. */
    public static String formatFloat(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        BigDecimal bd = new BigDecimal(d).setScale(10, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (bd.scale() < 1) {
            bd = bd.setScale(1);
        }
        String s = bd.toPlainString();
        return s.equals("-0.0") ? "-0.0" : s;
    }

    // io_lib:printable_list: Erlang treats a list of character codes as a string
    private static String printableList(List<?> l) {
        StringBuilder sb = new StringBuilder(l.size());
        for (Object o : l) {
            if (!isInt(o)) {
                return null;
            }
            long c = ((Number) o).longValue();
            boolean printable = (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || c == '\n' || c == '\r'
                    || c == '\t' || c == 11 || c == '\b' || c == '\f' || c == 27;
            if (!printable) {
                return null;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Truthiness where EMQX needs a boolean: only true is true. */
    public static boolean isTrue(Object v) {
        return Boolean.TRUE.equals(v);
    }

    /** A short name of the value's kind, for error messages. */
    public static String typeName(Object v) {
        if (v == null) {
            return "undefined";
        }
        if (isString(v)) {
            return "string";
        }
        if (isInt(v)) {
            return "integer";
        }
        if (isFloat(v)) {
            return "float";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Map) {
            return "map";
        }
        if (v instanceof List) {
            return "array";
        }
        if (v == JSON_NULL) {
            return "null";
        }
        return v.getClass().getSimpleName();
    }

    /** A value as written in an error message: strings quoted, long values cut. */
    public static String describe(Object v) {
        String s = isString(v) ? "'" + text(v) + "'" : v == null ? "undefined" : toText(v);
        return s.length() > 64 ? s.substring(0, 61) + "..." : s;
    }

    // ---- equality and order (Erlang's == and term order, as EMQX's compare/3 uses them) ----

    /** Erlang's {@code ==}: numbers by value (1 == 1.0), strings by bytes, containers deeply. */
    public static boolean equal(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers((Number) a, (Number) b) == 0;
        }
        if (isString(a) && isString(b)) {
            if (a instanceof String sa && b instanceof String sb) {
                return sa.equals(sb);
            }
            return Arrays.equals(bytes(a), bytes(b));
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            Iterator<?> ia = la.iterator();
            Iterator<?> ib = lb.iterator();
            while (ia.hasNext()) {
                if (!equal(ia.next(), ib.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !equal(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Erlang's {@code =:=}: like {@link #equal} but an integer never equals a float. */
    public static boolean exactlyEqual(Object a, Object b) {
        if (isNumber(a) && isNumber(b) && isInt(a) != isInt(b)) {
            return false;
        }
        return equal(a, b);
    }

    /** Erlang's term order: number &lt; atom &lt; map &lt; list &lt; binary. */
    public static int order(Object a, Object b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case 0:
                return compareNumbers((Number) a, (Number) b);
            case 1:
                return atomName(a).compareTo(atomName(b));
            case 2: {
                Map<?, ?> ma = (Map<?, ?>) a;
                Map<?, ?> mb = (Map<?, ?>) b;
                return ma.size() != mb.size() ? Integer.compare(ma.size(), mb.size()) : equal(a, b) ? 0 : 1;
            }
            case 3: {
                Iterator<?> ia = ((List<?>) a).iterator();
                Iterator<?> ib = ((List<?>) b).iterator();
                while (ia.hasNext() && ib.hasNext()) {
                    int c = order(ia.next(), ib.next());
                    if (c != 0) {
                        return c;
                    }
                }
                return ia.hasNext() ? 1 : ib.hasNext() ? -1 : 0;
            }
            case 4:
                return compareStrings(a, b);
            default:
                return 0;
        }
    }

    private static int rank(Object v) {
        if (isNumber(v)) {
            return 0;
        }
        if (v == null || v instanceof Boolean || v == JSON_NULL) {
            return 1;
        }
        if (v instanceof Map) {
            return 2;
        }
        if (v instanceof List) {
            return 3;
        }
        return 4;
    }

    private static String atomName(Object v) {
        return v == null ? "undefined" : v.toString();
    }

    static int compareNumbers(Number a, Number b) {
        if (isInt(a) && isInt(b)) {
            return Long.compare(a.longValue(), b.longValue());
        }
        return Double.compare(a.doubleValue(), b.doubleValue()) == 0 ? 0 : a.doubleValue() < b.doubleValue() ? -1 : 1;
    }

    /** Binaries compare byte-wise (UTF-8 order, which is code point order for text). */
    static int compareStrings(Object a, Object b) {
        if (a instanceof String sa && b instanceof String sb) {
            int i = 0;
            int j = 0;
            while (i < sa.length() && j < sb.length()) {
                int ca = sa.codePointAt(i);
                int cb = sb.codePointAt(j);
                if (ca != cb) {
                    return Integer.compare(ca, cb);
                }
                i += Character.charCount(ca);
                j += Character.charCount(cb);
            }
            return Integer.compare(sa.length() - i, sb.length() - j);
        }
        if (a instanceof BitString || b instanceof BitString) {
            return 0;
        }
        return Arrays.compareUnsigned(bytes(a), bytes(b));
    }
}
