package io.aviary.rules.internal;

import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * sprintf's format language, which is Erlang's io_lib:format: ~s (string), ~p and ~w (any
 * value, printed as Erlang would), ~f ~e ~g (floats), ~b ~B (integers, ~.16B for a base),
 * ~c, ~n, ~~, each with an optional field width and precision (~10s, ~.2f, ~-5s). Too few or
 * too many arguments is an error, as in Erlang.
 */
final class ErlangFormat {

    /** Field widths and repeat counts are bounded so a format cannot allocate without limit. */
    static final int MAX_WIDTH = 1 << 20;

    private ErlangFormat() {}

    static String format(String fmt, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '~') {
                out.append(c);
                continue;
            }
            // ~F.P.PadC, where F may be '-' for left justification
            int j = i + 1;
            boolean left = false;
            if (j < fmt.length() && fmt.charAt(j) == '-') {
                left = true;
                j++;
            }
            int width = -1;
            int start = j;
            while (j < fmt.length() && Character.isDigit(fmt.charAt(j))) {
                j++;
            }
            if (j > start) {
                width = Integer.parseInt(fmt.substring(start, j));
            }
            int precision = -1;
            char padChar = ' ';
            if (j < fmt.length() && fmt.charAt(j) == '.') {
                j++;
                start = j;
                while (j < fmt.length() && Character.isDigit(fmt.charAt(j))) {
                    j++;
                }
                if (j > start) {
                    precision = Integer.parseInt(fmt.substring(start, j));
                }
                if (j < fmt.length() && fmt.charAt(j) == '.') {
                    j++;
                    if (j < fmt.length()) {
                        padChar = fmt.charAt(j++);
                    }
                }
            }
            if (j < fmt.length() && fmt.charAt(j) == 't') {
                j++;
            }
            if (j >= fmt.length()) {
                throw new RuleEvalException("badarg: sprintf format ends inside a control sequence: " + fmt);
            }
            char ctl = fmt.charAt(j);
            i = j;
            String piece;
            switch (ctl) {
                case '~':
                    piece = "~";
                    break;
                case 'n':
                    piece = "\n";
                    break;
                case 'i':
                    arg(args, next++, fmt);
                    piece = "";
                    break;
                case 's': {
                    Object v = arg(args, next++, fmt);
                    if (!(Values.isString(v) || v == null || v instanceof Boolean || v == Values.JSON_NULL
                            || v instanceof List)) {
                        throw new RuleEvalException("badarg: ~s needs a string, got " + Values.describe(v));
                    }
                    piece = Values.toText(v);
                    if (precision >= 0 && piece.length() > precision) {
                        piece = piece.substring(0, precision);
                    }
                    break;
                }
                case 'p':
                case 'w':
                    piece = term(arg(args, next++, fmt));
                    break;
                case 'c': {
                    Object v = arg(args, next++, fmt);
                    if (!Values.isInt(v)) {
                        throw new RuleEvalException("badarg: ~c needs a character code, got " + Values.describe(v));
                    }
                    piece = new String(Character.toChars((int) ((Number) v).longValue())).repeat(Math.max(1, Math.min(precision, MAX_WIDTH)));
                    break;
                }
                case 'b':
                case 'B': {
                    Object v = arg(args, next++, fmt);
                    if (!Values.isInt(v)) {
                        throw new RuleEvalException("badarg: ~" + ctl + " needs an integer, got " + Values.describe(v));
                    }
                    piece = Long.toString(((Number) v).longValue(), precision > 1 ? precision : 10);
                    piece = ctl == 'B' ? piece.toUpperCase(Locale.ROOT) : piece.toLowerCase(Locale.ROOT);
                    break;
                }
                case 'f':
                case 'e':
                case 'g': {
                    Object v = arg(args, next++, fmt);
                    if (!Values.isFloat(v)) {
                        throw new RuleEvalException("badarg: ~" + ctl + " needs a float, got " + Values.describe(v));
                    }
                    double d = ((Number) v).doubleValue();
                    int p = precision < 0 ? 6 : precision;
                    if (ctl == 'f') {
                        piece = new BigDecimal(d).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
                    } else if (ctl == 'e' || d != 0 && (Math.abs(d) < 0.1 || Math.abs(d) >= 1e4)) {
                        piece = erlangExp(d, Math.max(p, 2));
                    } else {
                        piece = new BigDecimal(d).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
                    }
                    break;
                }
                default:
                    throw new RuleEvalException("badarg: unsupported sprintf control ~" + ctl);
            }
            if (width > MAX_WIDTH) {
                throw new RuleEvalException("badarg: a sprintf field width above " + MAX_WIDTH);
            }
            if (width > piece.length()) {
                String fill = String.valueOf(padChar).repeat(width - piece.length());
                piece = left ? piece + fill : fill + piece;
            }
            out.append(piece);
        }
        if (next != args.size()) {
            throw new RuleEvalException("badarg: the sprintf format uses " + next + " arguments but got " + args.size());
        }
        return out.toString();
    }

    private static Object arg(List<Object> args, int i, String fmt) {
        if (i >= args.size()) {
            throw new RuleEvalException("badarg: the sprintf format " + Values.describe(fmt) + " needs more arguments");
        }
        return args.get(i);
    }

    // ~e: d.ddddde+X with (precision - 1) decimals
    private static String erlangExp(double d, int p) {
        String s = String.format(Locale.ROOT, "%." + (p - 1) + "e", d);
        int e = s.indexOf('e');
        String mant = s.substring(0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + Math.abs(exp);
    }

    /** How Erlang's ~p prints a value: binaries as <<"...">>, maps as #{...}. */
    static String term(Object v) {
        if (v == null) {
            return "undefined";
        }
        if (Values.isString(v)) {
            return "<<\"" + Values.text(v).replace("\\", "\\\\").replace("\"", "\\\"") + "\">>";
        }
        if (Values.isFloat(v)) {
            double d = ((Number) v).doubleValue();
            String s = Double.toString(d);
            return s.contains("E") ? erlangExp(d, 15) : s;
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(term(l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("#{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",").append(term(String.valueOf(e.getKey()))).append(" => ").append(term(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        return Values.toText(v);
    }
}
