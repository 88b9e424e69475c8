package io.aviary.auth.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EMQX's query with placeholders ({@code ... WHERE username = ${username} LIMIT 1}) compiled once
 * into the text of a prepared statement, where each placeholder is a {@code ?}, and the list of
 * values to bind. A client's username or client id therefore only ever reaches the server as a
 * parameter, never as query text, whatever quotes or SQL it holds.
 *
 * <p>The compiler reads the query as the server will (quoted strings, quoted names, comments), so
 * it refuses what would silently not work: a placeholder written inside quotes ({@code
 * '${username}'} would be the literal text, as EMQX also binds it as a parameter, so the query
 * must write it bare), a {@code ?} of the author's own (it would shift the parameters), an
 * unknown placeholder, and a query that is not a single statement.
 */
public final class QueryTemplate {
    /** Placeholders both chains offer (EMQX's), besides {@code client_attrs.NAME}. */
    public static final Set<String> PLACEHOLDERS = Set.of("username", "clientid", "peerhost", "cert_common_name",
            "cert_subject");

    private final String sql;
    private final List<String> parameters;

    private QueryTemplate(String sql, List<String> parameters) {
        this.sql = sql;
        this.parameters = List.copyOf(parameters);
    }

    /** The statement text, with a {@code ?} for each placeholder. */
    public String sql() {
        return sql;
    }

    /** The placeholder names, in the order of the statement's parameters. */
    public List<String> parameters() {
        return parameters;
    }

    /** The values to bind for one client: a placeholder without a value binds SQL NULL (matches nothing). */
    public List<String> bind(Map<String, String> values) {
        List<String> out = new ArrayList<>(parameters.size());
        for (String p : parameters) {
            out.add(values.get(p));
        }
        return out;
    }

    /**
     * @param backslashEscapes true for MySQL, where a backslash escapes the next character inside a
     *                         quoted string; false for PostgreSQL's standard strings
     * @throws IllegalArgumentException "query: ..." saying what is wrong and where
     */
    public static QueryTemplate compile(String query, boolean backslashEscapes) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query: is required");
        }
        StringBuilder sql = new StringBuilder(query.length());
        List<String> parameters = new ArrayList<>();
        int n = query.length();
        int i = 0;
        while (i < n) {
            char c = query.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = closing(query, i, c, backslashEscapes && c != '`');
                String quoted = query.substring(i, end);
                if (quoted.contains("${")) {
                    throw new IllegalArgumentException("query: write placeholders bare, not inside quotes, at "
                            + quoted + " (they are bound as parameters)");
                }
                sql.append(quoted);
                i = end;
            } else if (c == '-' && i + 1 < n && query.charAt(i + 1) == '-' || c == '#' && backslashEscapes) {
                int end = query.indexOf('\n', i);
                end = end < 0 ? n : end;
                sql.append(query, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && query.charAt(i + 1) == '*') {
                int end = query.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("query: unclosed comment /* at character " + (i + 1));
                }
                sql.append(query, i, end + 2);
                i = end + 2;
            } else if (c == '$' && i + 1 < n && query.charAt(i + 1) == '{') {
                int end = query.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("query: unclosed placeholder at character " + (i + 1));
                }
                String name = query.substring(i + 2, end).trim();
                if (!PLACEHOLDERS.contains(name) && !(name.startsWith("client_attrs.") && name.length() > 13)) {
                    throw new IllegalArgumentException("query: unknown placeholder ${" + name + "} (use "
                            + "${username}, ${clientid}, ${peerhost}, ${cert_common_name}, ${cert_subject} or "
                            + "${client_attrs.NAME})");
                }
                parameters.add(name);
                sql.append('?');
                i = end + 1;
            } else if (c == '?') {
                throw new IllegalArgumentException("query: a ? of its own at character " + (i + 1)
                        + " (values come from placeholders such as ${username})");
            } else if (c == ';') {
                if (!query.substring(i + 1).isBlank()) {
                    throw new IllegalArgumentException("query: one statement only (a ; at character " + (i + 1) + ")");
                }
                i = n; // a trailing ; is dropped: the drivers want one statement without it
            } else {
                sql.append(c);
                i++;
            }
        }
        return new QueryTemplate(sql.toString().strip(), parameters);
    }

    /** The index just past the quote that closes the one at {@code start} (a doubled quote is one character). */
    private static int closing(String query, int start, char quote, boolean backslashEscapes) {
        int i = start + 1;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < query.length() && query.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("query: unclosed " + quote + " at character " + (start + 1));
    }

    @Override
    public String toString() {
        return sql + " " + parameters;
    }
}
