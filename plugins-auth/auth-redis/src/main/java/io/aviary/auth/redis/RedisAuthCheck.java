package io.aviary.auth.redis;

import io.aviary.api.plugin.ConfigCheck;
import io.aviary.auth.redis.backend.ConnectionCheck;
import java.util.Map;

/**
 * The platform's check of an auth-redis instance before it is stored: the {@code cmd} must be one
 * EMQX accepts (HMGET or HGET of the password hash), and the server list must parse, so a bad
 * config is a 400 naming {@code config.cmd} or {@code config.server}.
 */
public final class RedisAuthCheck implements ConfigCheck {

    @Override
    public void check(Map<String, Object> config) {
        UserCommand.parse(config.get("cmd"));
        ConnectionCheck.check(config);
    }
}
