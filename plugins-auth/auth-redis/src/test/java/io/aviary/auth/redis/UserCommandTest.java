package io.aviary.auth.redis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.Test;

public class UserCommandTest {

    @Test
    public void theDefaultIsEmqxsHmget() {
        UserCommand c = UserCommand.parse(null);
        assertEquals("HMGET", c.command().name());
        assertEquals("mqtt_user:${username}", c.command().template().get(0));
        assertEquals(0, c.hashIndex());
        assertEquals(1, c.saltIndex());
        assertEquals(2, c.superuserIndex());
    }

    @Test
    public void emqx4sPasswordFieldAndAnyFieldOrderAreRead() {
        UserCommand c = UserCommand.parse("HMGET mqtt:${username} is_superuser password");
        assertEquals(1, c.hashIndex());
        assertEquals(-1, c.saltIndex());
        assertEquals(0, c.superuserIndex());
        assertEquals(0, UserCommand.parse("HGET mqtt:${username} password_hash").hashIndex());
    }

    @Test
    public void aCommandWithoutThePasswordHashIsRefused() {
        assertEquals("cmd: the fields must include password_hash (or password)",
                assertThrows(IllegalArgumentException.class, () -> UserCommand.parse("HMGET k salt is_superuser")).getMessage());
        assertEquals("cmd: HGET takes one field (the password hash); use HMGET for more",
                assertThrows(IllegalArgumentException.class, () -> UserCommand.parse("HGET k password_hash salt")).getMessage());
    }

    @Test
    public void theConfigCheckNamesCmdAndServer() {
        Map<String, Object> config = new HashMap<>(Map.of("server", "127.0.0.1:6379", "cmd", "KEYS *"));
        assertEquals("cmd: KEYS is not supported; use HGET or HMGET",
                assertThrows(IllegalArgumentException.class, () -> new RedisAuthCheck().check(config)).getMessage());
        config.put("cmd", "HMGET k password_hash");
        new RedisAuthCheck().check(config);
        config.put("server", "127.0.0.1:x");
        assertEquals("server: bad port in '127.0.0.1:x'",
                assertThrows(IllegalArgumentException.class, () -> new RedisAuthCheck().check(config)).getMessage());
        config.put("redis_type", "cluster");
        assertEquals("servers: required with redis_type cluster",
                assertThrows(IllegalArgumentException.class, () -> new RedisAuthCheck().check(config)).getMessage());
        config.put("redis_type", "sentinel");
        config.put("servers", "127.0.0.1:26379");
        assertEquals("sentinel: the master's name is required with redis_type sentinel",
                assertThrows(IllegalArgumentException.class, () -> new RedisAuthCheck().check(config)).getMessage());
        config.put("sentinel", "mymaster");
        new RedisAuthCheck().check(config);
    }
}
