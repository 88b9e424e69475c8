package io.aviary.authz.file;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the subset of Erlang term syntax that EMQX's acl.conf uses, so a file written for EMQX
 * works unchanged: each rule is a term ended by a dot; terms are tuples {@code {a, b}}, lists
 * {@code [a, b]}, atoms ({@code allow}, {@code 'and'}), strings {@code "a/b"} (with backslash
 * escapes) and integers; {@code %} starts a comment. Errors name the line.
 */
final class Terms {
    /** An atom, as opposed to a string. */
    record Atom(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A tuple {@code {...}}; lists are java.util.List, strings String, integers Long. */
    record Tuple(List<Object> items, int line) {
        Object get(int i) {
            return items.get(i);
        }

        int size() {
            return items.size();
        }
    }

    static final class SyntaxError extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SyntaxError(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private final String text;
    private int pos;
    private int line = 1;

    private Terms(String text) {
        this.text = text;
    }

    /** Every top-level term of the text, each of which must end with a dot. */
    static List<Tuple> parse(String text) {
        Terms t = new Terms(text);
        List<Tuple> terms = new ArrayList<>();
        while (t.skipSpace()) {
            int at = t.line;
            Object term = t.term();
            if (!(term instanceof Tuple tuple)) {
                throw new SyntaxError(at, "a rule must be a tuple {...}, found " + term);
            }
            t.skipSpace();
            t.expect('.');
            terms.add(tuple);
        }
        return terms;
    }

    /** Skips blanks and comments; false at the end of the text. */
    private boolean skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '%') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c)) {
                if (c == '\n') {
                    line++;
                }
                pos++;
            } else {
                return true;
            }
        }
        return false;
    }

    private void expect(char c) {
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw new SyntaxError(line, "'" + c + "' expected" + (pos < text.length() ? ", found '" + text.charAt(pos) + "'" : " at the end"));
        }
        pos++;
    }

    private Object term() {
        if (!skipSpace()) {
            throw new SyntaxError(line, "unexpected end of the rules");
        }
        char c = text.charAt(pos);
        if (c == '{') {
            int at = line;
            pos++;
            return new Tuple(sequence('}'), at);
        }
        if (c == '[') {
            pos++;
            return sequence(']');
        }
        if (c == '"') {
            return string();
        }
        if (c == '\'') {
            return new Atom(quotedAtom());
        }
        if (Character.isDigit(c) || c == '-') {
            int start = pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            try {
                return Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw new SyntaxError(line, "bad number " + text.substring(start, pos));
            }
        }
        if (Character.isLetter(c)) {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            return new Atom(text.substring(start, pos));
        }
        throw new SyntaxError(line, "unexpected '" + c + "'");
    }

    private List<Object> sequence(char close) {
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == close) {
            pos++;
            return items;
        }
        while (true) {
            items.add(term());
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect(close);
            return items;
        }
    }

    private String string() {
        return quoted('"');
    }

    private String quotedAtom() {
        return quoted('\'');
    }

    private String quoted(char quote) {
        int at = line;
        pos++;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\' && pos < text.length()) {
                char e = text.charAt(pos++);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                if (c == '\n') {
                    line++;
                }
                out.append(c);
            }
        }
        throw new SyntaxError(at, "unterminated " + (quote == '"' ? "string" : "quoted atom"));
    }
}
