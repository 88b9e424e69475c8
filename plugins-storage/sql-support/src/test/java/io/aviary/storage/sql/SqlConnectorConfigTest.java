package io.aviary.storage.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.Test;

/** EMQX's connector fields as users write them, and a precise error naming the field when one is unusable. */
public class SqlConnectorConfigTest {

    private static Map<String, Object> config(Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    public void serverTakesHostPortHostAloneAndBracketedIpv6() {
        assertEquals(new SqlServer("db.example", 3307), SqlServer.parse("db.example:3307", 3306));
        assertEquals(new SqlServer("db.example", 3306), SqlServer.parse("db.example", 3306));
        assertEquals(new SqlServer("[::1]", 5433), SqlServer.parse("[::1]:5433", 5432));
        assertEquals(new SqlServer("[::1]", 5432), SqlServer.parse(" [::1] ", 5432));
    }

    @Test
    public void aBadServerIsRefusedNamingTheField() {
        for (String bad : new String[] {"", "host:", "host:0", "host:70000", "host:x", "::1:5432", "[::1", ":5432"}) {
            IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class, () -> SqlServer.parse(bad, 1));
            assertTrue(e.getMessage(), e.getMessage().startsWith("server: "));
        }
    }

    @Test
    public void defaultsFollowEmqx() {
        SqlConnectorConfig c = SqlConnectorConfig.from(config("server", "127.0.0.1", "database", "mqtt"), 3306, "root");
        assertEquals(8, c.poolSize());
        assertEquals("root", c.username());
        assertEquals(3306, c.server().port());
        assertFalse(c.sslEnabled());
    }

    @Test
    public void numbersMayArriveAsJsonDoubles() {
        SqlConnectorConfig c = SqlConnectorConfig.from(config("server", "h", "database", "d", "pool_size", 4.0), 1, "root");
        assertEquals(4, c.poolSize());
    }

    @Test
    public void unusableFieldsAreNamed() {
        assertField("database", config("server", "h"));
        assertField("username", config("server", "h", "database", "d"));
        assertField("pool_size", config("server", "h", "database", "d", "username", "u", "pool_size", 0L));
        assertField("pool_size", config("server", "h", "database", "d", "username", "u", "pool_size", 2.5));
        assertField("ssl.verify", config("server", "h", "database", "d", "username", "u",
                "ssl", Map.of("enable", true, "verify", "sometimes")));
        assertField("ssl.cacertfile", config("server", "h", "database", "d", "username", "u",
                "ssl", Map.of("enable", true, "verify", "verify_peer")));
        assertField("ssl.cacertfile", config("server", "h", "database", "d", "username", "u",
                "ssl", Map.of("enable", true, "cacertfile", "/no/such/ca.pem")));
    }

    private static void assertField(String field, Map<String, Object> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SqlConnectorConfig.from(config, 1, null));
        assertTrue(e.getMessage(), e.getMessage().startsWith(field + ": "));
    }
}
