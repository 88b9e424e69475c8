package io.aviary.authz.redis;

import io.aviary.api.plugin.ConfigCheck;
import io.aviary.auth.redis.backend.ConnectionCheck;
import java.util.Map;

/**
 * The platform's check of an authz-redis instance before it is stored: the {@code cmd} must be
 * {@code HGETALL key} and the server list must parse (400 naming config.cmd or config.server).
 */
public final class RedisAuthzCheck implements ConfigCheck {

    @Override
    public void check(Map<String, Object> config) {
        RulesCommand.parse(config.get("cmd"));
        ConnectionCheck.check(config);
    }
}
