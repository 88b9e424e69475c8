package io.aviary.auth.sql;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.aviary.auth.builtin.hash.HashSpec;
import io.aviary.storage.sql.ConfigValues;
import io.aviary.storage.sql.SqlConnectorConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One instance's configuration, EMQX 5's fields for its MySQL and PostgreSQL authenticators and
 * authorization sources: the connection ({@code server}, {@code database}, {@code username},
 * {@code password}, {@code pool_size}, {@code ssl}, read by the SQL sinks' own parser), the
 * {@code query}, {@code query_timeout} and, for authenticators, {@code password_hash_algorithm}.
 * It reads both what the admin API checks (nested objects as maps) and what Config Admin holds
 * (nested objects kept as JSON text). Every problem is an IllegalArgumentException "field: why".
 *
 * @param queryTimeoutMs the longest a lookup may take, waiting for a connection included
 */
public record SqlAuthSettings(SqlConnectorConfig connection, QueryTemplate query, long queryTimeoutMs,
                              HashSpec algorithm, boolean disablePreparedStatements) {
    public static final long DEFAULT_QUERY_TIMEOUT_MS = 5_000;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");
    private static final Gson GSON = new Gson();

    /** Which database: its default port and how its quoted strings escape. */
    public enum Dialect {
        MYSQL(3306, "root", true), POSTGRESQL(5432, null, false);

        final int defaultPort;
        final String defaultUser;
        final boolean backslashEscapes;

        Dialect(int defaultPort, String defaultUser, boolean backslashEscapes) {
            this.defaultPort = defaultPort;
            this.defaultUser = defaultUser;
            this.backslashEscapes = backslashEscapes;
        }
    }

    /** @param authenticator true: password_hash_algorithm is read (sha256 with a prefix salt when absent) */
    public static SqlAuthSettings from(Map<String, Object> props, Dialect dialect, boolean authenticator) {
        Map<String, Object> config = new HashMap<>(props);
        config.put("ssl", object(props.get("ssl"), "ssl"));
        SqlConnectorConfig connection = SqlConnectorConfig.from(config, dialect.defaultPort, dialect.defaultUser);
        QueryTemplate query = QueryTemplate.compile(ConfigValues.string(config, "query", null), dialect.backslashEscapes);
        long timeout = duration(config.get("query_timeout"), "query_timeout");
        HashSpec algorithm = null;
        if (authenticator) {
            Object a = props.get("password_hash_algorithm");
            algorithm = a == null ? HashSpec.DEFAULT
                    : HashSpec.fromJson(GSON.toJsonTree(object(a, "password_hash_algorithm")).getAsJsonObject());
        } else if (props.containsKey("password_hash_algorithm")) {
            throw new IllegalArgumentException("password_hash_algorithm: only authenticators hash passwords");
        }
        boolean noPrepare = ConfigValues.bool(config, "disable_prepared_statements", false);
        return new SqlAuthSettings(connection, query, timeout, algorithm, noPrepare);
    }

    /** A nested object: a map already, or the JSON text Config Admin keeps. */
    private static Map<String, Object> object(Object value, String field) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return map;
        }
        try {
            JsonObject o = GSON.fromJson(value.toString(), JsonObject.class);
            if (o == null) {
                throw new IllegalArgumentException(field + ": must be an object");
            }
            return GSON.fromJson(o, new TypeToken<Map<String, Object>>() { }.getType());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + ": must be an object", e);
        }
    }

    /** EMQX's durations: milliseconds as a number, or text such as "5s", "500ms"; 100 ms to 1 minute. */
    static long duration(Object value, String field) {
        if (value == null) {
            return DEFAULT_QUERY_TIMEOUT_MS;
        }
        long ms;
        if (value instanceof Number n) {
            ms = n.longValue();
        } else {
            Matcher m = DURATION.matcher(value.toString().trim());
            if (!m.matches()) {
                throw new IllegalArgumentException(field + ": not a duration (such as 5s or 500ms): " + value);
            }
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            ms = switch (unit) {
                case "m" -> amount * 60_000;
                case "s" -> amount * 1000;
                default -> amount;
            };
        }
        if (ms < 100 || ms > 60_000) {
            throw new IllegalArgumentException(field + ": must be between 100ms and 1m");
        }
        return ms;
    }
}
