package io.aviary.auth.http.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A text with EMQX's {@code ${name}} placeholders, parsed once per instance. Rendering puts each
 * known placeholder's value through an encoder chosen by where the text goes (URL-encoded in a URL,
 * verbatim in a header or a JSON string), so a value can never change the request's structure.
 * A value that is absent renders as "" (as EMQX); an unknown placeholder stays literal text.
 */
public final class Template {
    private final List<String> literals = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    private Template() {
    }

    /** @param known the placeholder names this kind of request offers */
    public static Template parse(String text, Set<String> known) {
        Template t = new Template();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            int close = open < 0 ? -1 : text.indexOf('}', open + 2);
            if (open < 0 || close < 0) {
                literal.append(text, i, text.length());
                break;
            }
            String name = text.substring(open + 2, close);
            literal.append(text, i, open);
            if (known.contains(name) || name.startsWith("client_attrs.")) {
                t.literals.add(literal.toString());
                t.names.add(name);
                literal.setLength(0);
            } else {
                literal.append(text, open, close + 1);
            }
            i = close + 1;
        }
        t.literals.add(literal.toString());
        return t;
    }

    public boolean hasPlaceholders() {
        return !names.isEmpty();
    }

    public String render(Map<String, String> values, UnaryOperator<String> encode) {
        if (names.isEmpty()) {
            return literals.get(0);
        }
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int k = 0; k < names.size(); k++) {
            String v = values.get(names.get(k));
            out.append(encode.apply(v == null ? "" : v)).append(literals.get(k + 1));
        }
        return out.toString();
    }

    public String render(Map<String, String> values) {
        return render(values, UnaryOperator.identity());
    }
}
