package io.aviary.authz.redis;

import io.aviary.auth.redis.backend.RedisCommand;
import java.util.Map;

/**
 * The source's {@code cmd}: {@code HGETALL key}, EMQX's shape (the hash maps topics to actions).
 * Nothing else is accepted, so a configuration cannot make the broker write to, scan or flush the
 * tenant's Redis.
 */
final class RulesCommand {
    static final String DEFAULT = "HGETALL mqtt_acl:${username}";

    private RulesCommand() {
    }

    /** @throws IllegalArgumentException "cmd: ..." */
    static RedisCommand parse(Object cmd) {
        RedisCommand c = RedisCommand.parse(cmd == null ? DEFAULT : cmd.toString(), Map.of("HGETALL", 1));
        if (c.template().size() != 1) {
            throw new IllegalArgumentException("cmd: HGETALL takes one key");
        }
        return c;
    }
}
