package io.aviary.rules.internal;

import io.aviary.rules.Json;
import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import io.aviary.rules.Values.BitString;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Type checks (is_*) and conversions (str, int, float, bool, map, bin2hexstr, ...), as EMQX's. */
final class ConvertFunctions {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private ConvertFunctions() {}

    static void register() {
        Functions.register("str", 1, (a, env) -> Values.toStr(a[0]));
        Functions.register("str_utf8", 1, (a, env) -> Values.toText(a[0]));
        Functions.register("str_utf16_le", 1, (a, env) -> Values.toText(a[0]).getBytes(StandardCharsets.UTF_16LE));
        Functions.register("bool", 1, (a, env) -> bool(a));
        Functions.register("int", 1, (a, env) -> toInt(a));
        Functions.register("float", 1, (a, env) -> toFloat("float", a));
        Functions.register("float", 2, (a, env) -> {
            long decimals = Args.integer("float", a, 1);
            if (decimals <= 0) {
                throw Args.bad("float", a, "the number of decimals must be positive");
            }
            double d = toFloat("float", a);
            return new BigDecimal(d).setScale((int) Math.min(decimals, 253), RoundingMode.HALF_EVEN).doubleValue();
        });
        Functions.register("float2str", 2, (a, env) -> {
            if (!Values.isFloat(a[0])) {
                throw Args.bad("float2str", a, "argument 1 must be a float");
            }
            long p = Args.integer("float2str", a, 1);
            if (p < 0 || p > 253) {
                throw Args.bad("float2str", a, "the precision must be 0 to 253");
            }
            BigDecimal bd = new BigDecimal(((Number) a[0]).doubleValue()).setScale((int) p, RoundingMode.HALF_EVEN);
            String s = bd.toPlainString();
            if (p > 0 && s.indexOf('.') > 0) {
                // compact: drop trailing zeros but keep one decimal
                int end = s.length();
                while (end > 0 && s.charAt(end - 1) == '0' && s.charAt(end - 2) != '.') {
                    end--;
                }
                s = s.substring(0, end);
            }
            return s;
        });
        Functions.register("map", 1, (a, env) -> toMap("map", a, 0));
        Functions.register("bin2hexstr", 1, (a, env) -> bin2hex(a));
        Functions.register("bin2hexstr", 2, (a, env) -> a[1] == null ? bin2hex(a) : Args.str("bin2hexstr", a, 1) + bin2hex(a));
        Functions.register("sqlserver_bin2hexstr", 1, (a, env) -> "0x" + bin2hex(a));
        Functions.register("hexstr2bin", 1, (a, env) -> hex2bin(a, Args.str("hexstr2bin", a, 0)));
        Functions.register("hexstr2bin", 2, (a, env) -> {
            String s = Args.str("hexstr2bin", a, 0);
            if (a[1] == null) {
                return hex2bin(a, s);
            }
            String prefix = Args.str("hexstr2bin", a, 1);
            if (!s.startsWith(prefix)) {
                throw new RuleEvalException("binary_prefix_unmatch: " + Values.describe(a[0]) + " does not start with "
                        + Values.describe(a[1]));
            }
            return hex2bin(a, s.substring(prefix.length()));
        });

        Functions.register("is_null", 1, (a, env) -> a[0] == null);
        Functions.register("is_null_var", 1, (a, env) -> a[0] == null || a[0] == Values.JSON_NULL);
        Functions.register("is_not_null", 1, (a, env) -> a[0] != null);
        Functions.register("is_not_null_var", 1, (a, env) -> a[0] != null && a[0] != Values.JSON_NULL);
        Functions.register("is_str", 1, (a, env) -> Values.isString(a[0]));
        Functions.register("is_bool", 1, (a, env) -> a[0] instanceof Boolean);
        Functions.register("is_int", 1, (a, env) -> Values.isInt(a[0]));
        Functions.register("is_float", 1, (a, env) -> Values.isFloat(a[0]));
        Functions.register("is_num", 1, (a, env) -> Values.isNumber(a[0]));
        Functions.register("is_map", 1, (a, env) -> a[0] instanceof Map);
        Functions.register("is_array", 1, (a, env) -> a[0] instanceof List);
        Functions.register("is_empty", 1, (a, env) -> {
            if (a[0] instanceof List<?> l) {
                return l.isEmpty();
            }
            if (Values.isEmptyString(a[0])) {
                return true;
            }
            return toMap("is_empty", a, 0).isEmpty();
        });
    }

    private static boolean bool(Object[] a) {
        Object v = a[0];
        if (v instanceof Boolean b) {
            return b;
        }
        if (Values.isString(v)) {
            String s = Values.text(v);
            if (s.equals("true")) {
                return true;
            }
            if (s.equals("false")) {
                return false;
            }
        }
        if (Values.isNumber(v)) {
            double d = ((Number) v).doubleValue();
            if (d == 1) {
                return true;
            }
            if (d == 0) {
                return false;
            }
        }
        throw Args.bad("bool", a, "expected true, false, 'true', 'false', 1 or 0");
    }

    private static long toInt(Object[] a) {
        Object v = a[0];
        if (Values.isInt(v)) {
            return ((Number) v).longValue();
        }
        if (Values.isFloat(v)) {
            return (long) Math.floor(((Number) v).doubleValue());
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (Values.isString(v)) {
            String s = Values.text(v);
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException notInt) {
                Double d = parseErlangFloat(s);
                if (d != null) {
                    return (long) Math.floor(d);
                }
            }
        }
        throw Args.bad("int", a, "not an integer, a float, a boolean or a numeric string");
    }

    static double toFloat(String fn, Object[] a) {
        Object v = a[0];
        if (Values.isNumber(v)) {
            return ((Number) v).doubleValue();
        }
        if (Values.isString(v)) {
            String s = Values.text(v);
            Double d = parseErlangFloat(s);
            if (d != null) {
                return d;
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw Args.bad(fn, a, "not a number or a numeric string");
    }

    /** binary_to_float: digits, a dot, digits, an optional exponent ("1.5", "2.0e3"; not "1" or ".5"). */
    static Double parseErlangFloat(String s) {
        if (!s.matches("[+-]?[0-9]+\\.[0-9]+([eE][+-]?[0-9]+)?")) {
            return null;
        }
        return Double.parseDouble(s);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(String fn, Object[] a, int i) {
        Object v = a[i];
        if (v instanceof Map) {
            return (Map<String, Object>) v;
        }
        if (Values.isString(v)) {
            Object decoded;
            try {
                decoded = Json.decode(v);
            } catch (Exception e) {
                throw Args.bad(fn, a, "not a JSON object: " + e.getMessage());
            }
            if (decoded instanceof Map) {
                return (Map<String, Object>) decoded;
            }
        }
        if (v instanceof List<?> l && l.isEmpty()) {
            return new java.util.LinkedHashMap<>();
        }
        throw Args.bad(fn, a, "argument " + (i + 1) + " must be a map or a JSON object");
    }

    private static String bin2hex(Object[] a) {
        if (a[0] instanceof BitString b) {
            // a bitstring is left-padded with zero bits to whole bytes; a first nibble that is
            // all padding is dropped (as emqx_variform_bif:bin2hexstr)
            int pad = 8 - (b.bits() % 8);
            java.math.BigInteger v = new java.math.BigInteger(1, b.data()).shiftRight(b.data().length * 8 - b.bits());
            String hex = v.toString(16).toUpperCase();
            int digits = (b.bits() + pad) / 4;
            if (pad >= 4) {
                digits -= 1;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = hex.length(); i < digits; i++) {
                sb.append('0');
            }
            return sb.append(hex).toString();
        }
        return HEX.formatHex(Args.bin("bin2hexstr", a, 0));
    }

    private static byte[] hex2bin(Object[] a, String s) {
        try {
            if (s.length() % 2 == 1) {
                s = "0" + s;
            }
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw Args.bad("hexstr2bin", a, "not a hex string");
        }
    }
}
