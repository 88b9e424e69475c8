package io.aviary.auth.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.auth.builtin.hash.HashSpec;
import io.aviary.auth.sql.SqlAuthSettings.Dialect;
import java.util.HashMap;
import java.util.Map;
import org.junit.Test;

public class SqlAuthSettingsTest {

    private static Map<String, Object> config() {
        Map<String, Object> c = new HashMap<>();
        c.put("server", "db.local");
        c.put("database", "mqtt");
        c.put("username", "emqx");
        c.put("query", "SELECT password_hash FROM mqtt_user WHERE username = ${username} LIMIT 1");
        return c;
    }

    private static String refusal(Map<String, Object> c, Dialect d, boolean authn) {
        return assertThrows(IllegalArgumentException.class, () -> SqlAuthSettings.from(c, d, authn)).getMessage();
    }

    @Test
    public void emqxsDefaultsApply() {
        SqlAuthSettings s = SqlAuthSettings.from(config(), Dialect.POSTGRESQL, true);
        assertEquals(5432, s.connection().server().port());
        assertEquals(8, s.connection().poolSize());
        assertEquals(5_000, s.queryTimeoutMs());
        assertEquals(HashSpec.DEFAULT, s.algorithm());
        assertEquals(3306, SqlAuthSettings.from(config(), Dialect.MYSQL, false).connection().server().port());
        assertNull(SqlAuthSettings.from(config(), Dialect.MYSQL, false).algorithm());
    }

    @Test
    public void nestedObjectsAreReadAsMapsFromTheApiAndAsJsonTextFromConfigAdmin() {
        Map<String, Object> c = config();
        c.put("password_hash_algorithm", "{\"name\":\"bcrypt\",\"salt_rounds\":12.0}");
        c.put("ssl", "{\"enable\":true,\"verify\":\"verify_none\"}");
        c.put("query_timeout", "1500ms");
        c.put("pool_size", 2L);
        SqlAuthSettings s = SqlAuthSettings.from(c, Dialect.MYSQL, true);
        assertEquals("bcrypt", s.algorithm().name());
        assertEquals(12, s.algorithm().saltRounds());
        assertTrue(s.connection().sslEnabled());
        assertEquals(1500, s.queryTimeoutMs());
        assertEquals(2, s.connection().poolSize());
        c.put("password_hash_algorithm", Map.of("name", "sha512", "salt_position", "suffix"));
        c.put("ssl", Map.of("enable", false));
        assertEquals("suffix", SqlAuthSettings.from(c, Dialect.MYSQL, true).algorithm().saltPosition());
    }

    @Test
    public void badFieldsAreNamed() {
        Map<String, Object> c = config();
        c.put("query", "SELECT 1 FROM u WHERE username = '${username}'");
        assertTrue(refusal(c, Dialect.MYSQL, true).startsWith("query: write placeholders bare"));
        c = config();
        c.put("query_timeout", "soon");
        assertTrue(refusal(c, Dialect.MYSQL, true).startsWith("query_timeout: not a duration"));
        c.put("query_timeout", 5);
        assertEquals("query_timeout: must be between 100ms and 1m", refusal(c, Dialect.MYSQL, true));
        c = config();
        c.put("password_hash_algorithm", Map.of("name", "rot13"));
        assertEquals("password_hash_algorithm.name: unknown algorithm 'rot13'", refusal(c, Dialect.MYSQL, true));
        assertEquals("password_hash_algorithm: only authenticators hash passwords", refusal(c, Dialect.MYSQL, false));
        c = config();
        c.put("server", "db:99999");
        assertTrue(refusal(c, Dialect.POSTGRESQL, false).startsWith("server: bad port"));
        c = config();
        c.remove("username");
        assertEquals("username: is required", refusal(c, Dialect.POSTGRESQL, false));
        c.put("ssl", "[1]");
        assertEquals("ssl: must be an object", refusal(c, Dialect.MYSQL, false));
    }
}
