package io.aviary.auth.redis.backend;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.api.client.ClientInfo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class RedisCommandTest {
    private static final Map<String, Integer> HASH_READS = Map.of("HMGET", 2, "HGET", 2);

    static ClientInfo client(String clientId, String username) {
        return new ClientInfo("acme", clientId, username, new InetSocketAddress("127.0.0.1", 40000), "mqtt", 5, "tcp:default",
                null, null, Map.of("site", "plant-7"));
    }

    @Test
    public void commandsOtherThanTheAllowedReadsAreRefusedNamingCmd() {
        for (String cmd : List.of("DEL mqtt_user:${username}", "KEYS *", "FLUSHALL", "EVAL return 1 0",
                "HSET mqtt_user:x password_hash y", "SET a b", "")) {
            IllegalArgumentException e = assertThrows(cmd, IllegalArgumentException.class,
                    () -> RedisCommand.parse(cmd, HASH_READS));
            assertTrue(e.getMessage(), e.getMessage().startsWith("cmd: "));
        }
        assertEquals("cmd: DEL is not supported; use HGET or HMGET",
                assertThrows(IllegalArgumentException.class, () -> RedisCommand.parse("del k f", HASH_READS)).getMessage());
        assertEquals("cmd: HMGET needs a key and a field",
                assertThrows(IllegalArgumentException.class, () -> RedisCommand.parse("HMGET k", HASH_READS)).getMessage());
    }

    @Test
    public void theCommandNameIsCaseInsensitiveAndWordsAreArguments() {
        RedisCommand c = RedisCommand.parse("  hmget   mqtt_user:${username}  password_hash salt ", HASH_READS);
        assertEquals("HMGET", c.name());
        assertEquals(List.of("mqtt_user:${username}", "password_hash", "salt"), c.template());
    }

    @Test
    public void aPlaceholderValueWithSpacesOrWildcardsStaysOneArgument() {
        RedisCommand c = RedisCommand.parse("HMGET mqtt_user:${username} password_hash salt", HASH_READS);
        assertArrayEquals(new String[] {"mqtt_user:a b * salt\"x\"", "password_hash", "salt"},
                c.render(client("c1", "a b * salt\"x\"")));
        assertArrayEquals(new String[] {"mqtt_user:${clientid}", "password_hash", "salt"},
                c.render(client("c1", "${clientid}")));
    }

    @Test
    public void placeholdersAreFilledFromTheClient() {
        RedisCommand c = RedisCommand.parse("HGET u:${clientid}:${username}@${peerhost}/${client_attrs.site}/${cert_common_name} password",
                HASH_READS);
        assertEquals("u:c1:alice@127.0.0.1/plant-7/", c.render(client("c1", "alice"))[0]);
        assertEquals("a missing user name renders empty", "u:c1:@127.0.0.1/plant-7/", c.render(client("c1", null))[0]);
    }

    @Test
    public void anUnknownPlaceholderIsRefused() {
        assertEquals("cmd: unknown placeholder ${password}", assertThrows(IllegalArgumentException.class,
                () -> RedisCommand.parse("HGET u:${password} password_hash", HASH_READS)).getMessage());
    }
}
