package io.aviary.rules.internal;

import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * EMQX's string functions (emqx_variform_bif's semantics): positions in substr are 0-based like
 * Erlang's string:slice, split drops empty parts unless told 'notrim', regexes are PCRE-style
 * (Java's regex dialect, compiled once per distinct pattern), and undefined is a bad argument.
 */
final class StringFunctions {

    private static final int REGEX_CACHE_MAX = 1024;
    private static final Map<String, Pattern> REGEX_CACHE = new ConcurrentHashMap<>();

    private StringFunctions() {}

    static void register() {
        Functions.register("lower", 1, (a, env) -> Args.text("lower", a, 0).toLowerCase(Locale.ROOT));
        Functions.register("upper", 1, (a, env) -> Args.text("upper", a, 0).toUpperCase(Locale.ROOT));
        Functions.register("trim", 1, (a, env) -> Args.text("trim", a, 0).strip());
        Functions.register("ltrim", 1, (a, env) -> Args.text("ltrim", a, 0).stripLeading());
        Functions.register("rtrim", 1, (a, env) -> Args.text("rtrim", a, 0).stripTrailing());
        Functions.register("rtrim", 2, (a, env) -> rtrimChars(Args.text("rtrim", a, 0), Args.str("rtrim", a, 1)));
        Functions.register("reverse", 1, (a, env) -> new StringBuilder(Args.text("reverse", a, 0)).reverse().toString());
        Functions.register("strlen", 1, (a, env) -> {
            String s = Args.text("strlen", a, 0);
            return (long) s.codePointCount(0, s.length());
        });
        Functions.register("rm_prefix", 2, (a, env) -> {
            String s = Args.text("rm_prefix", a, 0);
            String p = Args.str("rm_prefix", a, 1);
            return s.startsWith(p) ? s.substring(p.length()) : s;
        });
        Functions.register("substr", 2, (a, env) -> substr(a, Args.integer("substr", a, 1), Long.MAX_VALUE));
        Functions.register("substr", 3, (a, env) -> substr(a, Args.integer("substr", a, 1), Args.integer("substr", a, 2)));
        Functions.register("split", 2, (a, env) -> split(a, "all"));
        Functions.register("split", 3, (a, env) -> split(a, Args.option("split", a, 2,
                "notrim", "leading", "leading_notrim", "trailing", "trailing_notrim")));
        Functions.register("tokens", 2, (a, env) -> tokens(Args.text("tokens", a, 0), Args.str("tokens", a, 1), false));
        Functions.register("tokens", 3, (a, env) -> {
            Args.option("tokens", a, 2, "nocrlf");
            return tokens(Args.text("tokens", a, 0), Args.str("tokens", a, 1), true);
        });
        Functions.register("concat", 1, (a, env) -> {
            Object out = "";
            for (Object o : Args.list("concat", a, 0)) {
                out = Values.concat(out, o);
            }
            return out;
        });
        Functions.register("concat", 2, (a, env) -> Values.concat(a[0], a[1]));
        Functions.register("sprintf_s", 2, (a, env) -> ErlangFormat.format(Args.str("sprintf_s", a, 0),
                Args.list("sprintf_s", a, 1)));
        Functions.registerVarargs("sprintf", 1, (a, env) -> ErlangFormat.format(Args.str("sprintf", a, 0),
                Arrays.asList(a).subList(1, a.length)));
        Functions.register("pad", 2, (a, env) -> pad(a, "trailing", " "));
        Functions.register("pad", 3, (a, env) -> pad(a, Args.option("pad", a, 2, "trailing", "leading", "both"), " "));
        Functions.register("pad", 4, (a, env) -> pad(a, Args.option("pad", a, 2, "trailing", "leading", "both"),
                Args.str("pad", a, 3)));
        Functions.register("replace", 3, (a, env) -> replace(a, "all"));
        Functions.register("replace", 4, (a, env) -> replace(a, Args.option("replace", a, 3, "all", "leading", "trailing")));
        Functions.register("regex_match", 2, (a, env) -> regex(a, Args.str("regex_match", a, 1))
                .matcher(Args.text("regex_match", a, 0)).find());
        Functions.register("regex_replace", 3, (a, env) -> regexReplace(a));
        Functions.register("regex_extract", 2, (a, env) -> {
            Matcher m = regex(a, Args.str("regex_extract", a, 1)).matcher(Args.text("regex_extract", a, 0));
            List<Object> out = new ArrayList<>();
            if (m.find()) {
                for (int g = 1; g <= m.groupCount(); g++) {
                    out.add(m.group(g) == null ? "" : m.group(g));
                }
            }
            return out;
        });
        Functions.register("ascii", 1, (a, env) -> {
            byte[] b = Args.text("ascii", a, 0).getBytes(StandardCharsets.UTF_8);
            if (b.length == 0) {
                throw Args.bad("ascii", a, "empty string");
            }
            return (long) (b[0] & 0xff);
        });
        Functions.register("find", 2, (a, env) -> find(a, "leading"));
        Functions.register("find", 3, (a, env) -> find(a, Args.option("find", a, 2, "leading", "trailing")));
        Functions.register("join_to_string", 1, (a, env) -> join(", ", Args.list("join_to_string", a, 0)));
        Functions.register("join_to_string", 2, (a, env) -> join(Args.str("join_to_string", a, 0),
                Args.list("join_to_string", a, 1)));
        Functions.register("join_to_sql_values_string", 1, (a, env) -> {
            List<String> parts = new ArrayList<>();
            for (Object o : Args.list("join_to_sql_values_string", a, 0)) {
                parts.add(sqlQuote(o));
            }
            return String.join(", ", parts);
        });
        Functions.register("unescape", 1, (a, env) -> unescape(Args.text("unescape", a, 0)));
    }

    private static String rtrimChars(String s, String chars) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (chars.indexOf(cp) < 0) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    // string:slice: 0-based start, length in characters, clipped to the string
    private static String substr(Object[] a, long start, long len) {
        String s = Args.text("substr", a, 0);
        if (start < 0 || len < 0) {
            throw Args.bad("substr", a, "start and length must not be negative");
        }
        int n = s.codePointCount(0, s.length());
        if (start >= n) {
            return "";
        }
        int from = s.offsetByCodePoints(0, (int) start);
        long endCp = len >= n - start ? n : start + len;
        int to = s.offsetByCodePoints(0, (int) endCp);
        return s.substring(from, to);
    }

    private static List<Object> split(Object[] a, String how) {
        String s = Args.text("split", a, 0);
        String p = Args.str("split", a, 1);
        List<Object> parts = new ArrayList<>();
        if (p.isEmpty()) {
            parts.add(s);
        } else if (how.startsWith("leading")) {
            int i = s.indexOf(p);
            addSplit(parts, s, i, p.length());
        } else if (how.startsWith("trailing")) {
            int i = s.lastIndexOf(p);
            addSplit(parts, s, i, p.length());
        } else {
            int from = 0;
            int i;
            while ((i = s.indexOf(p, from)) >= 0) {
                parts.add(s.substring(from, i));
                from = i + p.length();
            }
            parts.add(s.substring(from));
        }
        if (!how.endsWith("notrim")) {
            parts.removeIf(x -> ((String) x).isEmpty());
        }
        return parts;
    }

    private static void addSplit(List<Object> parts, String s, int i, int plen) {
        if (i < 0) {
            parts.add(s);
        } else {
            parts.add(s.substring(0, i));
            parts.add(s.substring(i + plen));
        }
    }

    // string:lexemes: every character of the separator string separates; empty tokens vanish
    private static List<Object> tokens(String s, String separators, boolean noCrLf) {
        String seps = noCrLf ? separators + "\r\n" : separators;
        List<Object> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (seps.indexOf(cp) >= 0) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    // string:pad: pads to len characters; "both" puts the odd one on the right
    private static String pad(Object[] a, String where, String padChar) {
        String s = Args.text("pad", a, 0);
        long len = Args.integer("pad", a, 1);
        int n = s.codePointCount(0, s.length());
        if (len <= n) {
            return s;
        }
        if (len - n > ErlangFormat.MAX_WIDTH) {
            throw Args.bad("pad", a, "the length may exceed the string by at most " + ErlangFormat.MAX_WIDTH);
        }
        int missing = (int) (len - n);
        String p = padChar;
        if ((long) missing * p.length() > ErlangFormat.MAX_WIDTH) {
            throw Args.bad("pad", a, "the padding would exceed " + ErlangFormat.MAX_WIDTH + " characters");
        }
        switch (where) {
            case "leading":
                return p.repeat(missing) + s;
            case "both":
                return p.repeat(missing / 2) + s + p.repeat(missing / 2 + missing % 2);
            default:
                return s + p.repeat(missing);
        }
    }

    private static String replace(Object[] a, String where) {
        String s = Args.text("replace", a, 0);
        String p = Args.str("replace", a, 1);
        String r = Args.str("replace", a, 2);
        if (p.isEmpty()) {
            return s;
        }
        switch (where) {
            case "leading": {
                int i = s.indexOf(p);
                return i < 0 ? s : s.substring(0, i) + r + s.substring(i + p.length());
            }
            case "trailing": {
                int i = s.lastIndexOf(p);
                return i < 0 ? s : s.substring(0, i) + r + s.substring(i + p.length());
            }
            default:
                return s.replace(p, r);
        }
    }

    static Pattern regex(Object[] a, String re) {
        Pattern p = REGEX_CACHE.get(re);
        if (p == null) {
            try {
                p = Pattern.compile(re);
            } catch (PatternSyntaxException e) {
                throw new RuleEvalException("bad regular expression " + Values.describe(re) + ": " + e.getDescription());
            }
            if (REGEX_CACHE.size() >= REGEX_CACHE_MAX) {
                REGEX_CACHE.clear();
            }
            REGEX_CACHE.put(re, p);
        }
        return p;
    }

    // re:replace with global: in the replacement, & is the whole match and \N (or \g{N}) group N
    private static String regexReplace(Object[] a) {
        String s = Args.text("regex_replace", a, 0);
        Matcher m = regex(a, Args.str("regex_replace", a, 1)).matcher(s);
        String rep = Args.str("regex_replace", a, 2);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(s, last, m.start());
            for (int i = 0; i < rep.length(); i++) {
                char c = rep.charAt(i);
                if (c == '&') {
                    out.append(m.group());
                } else if (c == '\\' && i + 1 < rep.length()) {
                    char d = rep.charAt(i + 1);
                    if (Character.isDigit(d)) {
                        int j = i + 1;
                        while (j < rep.length() && Character.isDigit(rep.charAt(j))) {
                            j++;
                        }
                        out.append(group(m, Integer.parseInt(rep.substring(i + 1, j))));
                        i = j - 1;
                    } else if (d == 'g' && i + 2 < rep.length() && rep.charAt(i + 2) == '{') {
                        int close = rep.indexOf('}', i);
                        out.append(group(m, Integer.parseInt(rep.substring(i + 3, close))));
                        i = close;
                    } else {
                        out.append(d);
                        i++;
                    }
                } else {
                    out.append(c);
                }
            }
            last = m.end();
        }
        if (last < s.length()) {
            out.append(s, last, s.length());
        }
        return out.toString();
    }

    private static String group(Matcher m, int g) {
        return g <= m.groupCount() && m.group(g) != null ? m.group(g) : "";
    }

    // string:find: the rest of the string from the first (or last) occurrence, "" if none
    private static String find(Object[] a, String where) {
        String s = Args.text("find", a, 0);
        String p = Args.str("find", a, 1);
        int i = where.equals("trailing") ? s.lastIndexOf(p) : s.indexOf(p);
        return i < 0 ? "" : s.substring(i);
    }

    private static String join(String sep, List<Object> items) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            sb.append(i == 0 ? "" : sep).append(Values.toText(items.get(i)));
        }
        return sb.toString();
    }

    private static String sqlQuote(Object o) {
        if (o == null) {
            return "NULL";
        }
        if (Values.isNumber(o) || o instanceof Boolean) {
            return Values.toText(o);
        }
        String s = o instanceof List || o instanceof Map ? io.aviary.rules.Json.encode(o) : Values.toText(o);
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new RuleEvalException("unrecognized_escape_sequence: a trailing backslash");
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\\': out.append('\\'); break;
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'v': out.append('\u000b'); break;
                case '\'': out.append('\''); break;
                case '"': out.append('"'); break;
                case '?': out.append('?'); break;
                case 'a': out.append('\u0007'); break;
                case 'x': {
                    int j = i + 1;
                    while (j < s.length() && Character.digit(s.charAt(j), 16) >= 0) {
                        j++;
                    }
                    if (j == i + 1) {
                        throw new RuleEvalException("unrecognized_escape_sequence: \\x");
                    }
                    int cp = Integer.parseInt(s.substring(i + 1, Math.min(j, i + 9)), 16);
                    if (!Character.isValidCodePoint(cp)) {
                        throw new RuleEvalException("invalid_unicode_character: \\x" + s.substring(i + 1, j));
                    }
                    out.appendCodePoint(cp);
                    i = j - 1;
                    break;
                }
                default:
                    throw new RuleEvalException("unrecognized_escape_sequence: \\" + e);
            }
        }
        return out.toString();
    }
}
