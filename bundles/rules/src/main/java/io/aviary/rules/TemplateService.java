package io.aviary.rules;

import io.aviary.api.rules.SqlTemplate;
import io.aviary.api.rules.Templates;
import io.aviary.api.rules.TextTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rule engine's templates offered to other bundles (data integration sinks) through the api:
 * the same {@link Template} the republish action uses, and SQL statements whose placeholders
 * become bound parameters.
 */
public final class TemplateService implements Templates {

    @Override
    public TextTemplate text(String template) {
        if (template == null) {
            throw new IllegalArgumentException("a template is required");
        }
        return new Text(Template.parse(template));
    }

    @Override
    public SqlTemplate sql(String statement) {
        if (statement == null || statement.isBlank()) {
            throw new IllegalArgumentException("an SQL statement is required");
        }
        return Sql.parse(statement);
    }

    /** A template that is exactly one placeholder gives its value (a number stays a number). */
    static Object value(Template t, Map<String, Object> record) {
        List<String> names = t.placeholders();
        String src = t.source().trim();
        if (names.size() == 1 && src.startsWith("${") && src.endsWith("}") && src.indexOf("${", 2) < 0) {
            String name = names.get(0);
            return plain(Template.lookup(record, name.equals(".") ? new String[0] : Template.path(name)));
        }
        return t.render(record);
    }

    private static Object plain(Object v) {
        if (v instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (v == Values.JSON_NULL) {
            return null;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        return v;
    }

    private record Text(Template t) implements TextTemplate {
        @Override
        public String source() {
            return t.source();
        }

        @Override
        public List<String> placeholders() {
            return t.placeholders();
        }

        @Override
        public boolean isConstant() {
            return t.isConstant();
        }

        @Override
        public String render(Map<String, Object> record) {
            return t.render(record);
        }

        @Override
        public byte[] renderBytes(Map<String, Object> record) {
            return t.renderBytes(record);
        }

        @Override
        public Object value(Map<String, Object> record) {
            return TemplateService.value(t, record);
        }
    }

    /**
     * An SQL statement with each {@code ${...}} (or a quoted {@code '${...}'}, which EMQX users
     * write too) replaced by {@code ?}; the values are bound, never spliced into the text.
     */
    private record Sql(String statement, List<String> placeholders, List<String[]> paths) implements SqlTemplate {

        static Sql parse(String sql) {
            StringBuilder out = new StringBuilder(sql.length());
            List<String> names = new ArrayList<>();
            List<String[]> paths = new ArrayList<>();
            int i = 0;
            while (i < sql.length()) {
                int open = sql.indexOf("${", i);
                int close = open < 0 ? -1 : sql.indexOf('}', open + 2);
                if (open < 0 || close < 0) {
                    out.append(sql, i, sql.length());
                    break;
                }
                boolean quoted = open > 0 && close + 1 < sql.length() && (sql.charAt(open - 1) == '\'' || sql.charAt(open - 1) == '"')
                        && sql.charAt(close + 1) == sql.charAt(open - 1);
                out.append(sql, i, quoted ? open - 1 : open).append('?');
                String name = sql.substring(open + 2, close).trim();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("an empty placeholder ${} at position " + open + " of the SQL");
                }
                names.add(name);
                paths.add(name.equals(".") ? new String[0] : Template.path(name));
                i = quoted ? close + 2 : close + 1;
            }
            return new Sql(out.toString(), List.copyOf(names), List.copyOf(paths));
        }

        @Override
        public List<Object> parameters(Map<String, Object> record) {
            List<Object> values = new ArrayList<>(paths.size());
            for (String[] path : paths) {
                Object v = plain(Template.lookup(record, path));
                if (v instanceof Map || v instanceof List) {
                    v = Json.encode(v);
                }
                values.add(v);
            }
            return values;
        }
    }
}
