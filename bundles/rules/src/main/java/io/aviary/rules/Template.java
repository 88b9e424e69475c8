package io.aviary.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An action template ("${clientid}/temp", "${payload.a.b}", "${.}") parsed once and rendered
 * per output, as EMQX renders them: ${.} is the whole output as JSON, a path walks maps (and
 * JSON strings met on the way), maps and arrays render as JSON, and a missing field renders as
 * "undefined". A "${" without its "}" is plain text. Immutable and thread-safe.
 */
public final class Template {

    private final String source;
    // literal text at even positions, placeholder paths (String[]) at odd positions
    private final Object[] parts;
    private final List<String> placeholders;

    private Template(String source, Object[] parts, List<String> placeholders) {
        this.source = source;
        this.parts = parts;
        this.placeholders = placeholders;
    }

    public static Template parse(String template) {
        List<Object> parts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("${", i);
            int close = open < 0 ? -1 : template.indexOf('}', open + 2);
            if (open < 0 || close < 0) {
                lit.append(template, i, template.length());
                break;
            }
            lit.append(template, i, open);
            String name = template.substring(open + 2, close).trim();
            parts.add(lit.toString());
            lit.setLength(0);
            parts.add(name.equals(".") ? new String[0] : path(name));
            names.add(name);
            i = close + 1;
        }
        parts.add(lit.toString());
        return new Template(template, parts.toArray(), List.copyOf(names));
    }

    /**
     * A placeholder's path; a quoted level ("pub_props.'User-Property'", as EMQX's templates
     * write keys with dashes) is unquoted.
     */
    public static String[] path(String name) {
        String[] path = name.split("\\.", -1);
        for (int i = 0; i < path.length; i++) {
            String p = path[i];
            if (p.length() >= 2 && (p.charAt(0) == '\'' || p.charAt(0) == '"') && p.charAt(p.length() - 1) == p.charAt(0)) {
                path[i] = p.substring(1, p.length() - 1);
            }
        }
        return path;
    }

    /** The template as written. */
    public String source() {
        return source;
    }

    /** The placeholders, as written inside ${...}. */
    public List<String> placeholders() {
        return placeholders;
    }

    /** Whether the template has no placeholder (it renders to its source). */
    public boolean isConstant() {
        return placeholders.isEmpty();
    }

    public String render(Map<String, Object> output) {
        if (parts.length == 1) {
            return (String) parts[0];
        }
        StringBuilder sb = new StringBuilder(source.length() + 32);
        for (int i = 0; i < parts.length; i++) {
            if ((i & 1) == 0) {
                sb.append((String) parts[i]);
            } else {
                sb.append(toText(lookup(output, (String[]) parts[i])));
            }
        }
        return sb.toString();
    }

    /**
     * The rendering as bytes for a message payload: a template that is exactly one placeholder
     * naming binary data ("${payload}") passes the bytes through unchanged, as EMQX does;
     * anything else is the rendered text in UTF-8.
     */
    public byte[] renderBytes(Map<String, Object> output) {
        if (parts.length == 3 && ((String) parts[0]).isEmpty() && ((String) parts[2]).isEmpty()) {
            Object v = lookup(output, (String[]) parts[1]);
            if (v instanceof byte[] b) {
                return b;
            }
        }
        return render(output).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The value a placeholder path names in the output (null when missing), for non-text fields such as qos. */
    public static Object lookup(Map<String, Object> output, String[] path) {
        if (path.length == 0) {
            return output;
        }
        Object cur = output;
        for (String key : path) {
            if (Values.isString(cur)) {
                cur = Json.decodeContainer(cur);
            }
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return cur;
    }

    /** How a value renders into a template: strings as is, maps and arrays as JSON, undefined as "undefined". */
    public static String toText(Object v) {
        if (v instanceof Map || v instanceof List) {
            return Json.encode(v);
        }
        return Values.toText(v);
    }

    @Override
    public String toString() {
        return source;
    }
}
