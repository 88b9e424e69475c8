package io.aviary.auth.redis;

import io.aviary.auth.redis.backend.RedisCommand;
import java.util.List;
import java.util.Map;

/**
 * The authenticator's {@code cmd}, as EMQX accepts it: {@code HMGET key field...} or
 * {@code HGET key field}, whose fields name the password hash ({@code password_hash}, or EMQX 4's
 * {@code password}) and optionally {@code salt} and {@code is_superuser}. Any other command is
 * refused, so a configuration cannot make the broker write to, scan or flush the tenant's Redis.
 */
record UserCommand(RedisCommand command, int hashIndex, int saltIndex, int superuserIndex) {
    static final String DEFAULT = "HMGET mqtt_user:${username} password_hash salt is_superuser";

    /** @throws IllegalArgumentException "cmd: ..." */
    static UserCommand parse(Object cmd) {
        RedisCommand c = RedisCommand.parse(cmd == null ? DEFAULT : cmd.toString(), Map.of("HMGET", 2, "HGET", 2));
        List<String> fields = c.template().subList(1, c.template().size());
        if (c.name().equals("HGET") && fields.size() != 1) {
            throw new IllegalArgumentException("cmd: HGET takes one field (the password hash); use HMGET for more");
        }
        int hash = fields.indexOf("password_hash");
        if (hash < 0) {
            hash = fields.indexOf("password");
        }
        if (hash < 0) {
            throw new IllegalArgumentException("cmd: the fields must include password_hash (or password)");
        }
        return new UserCommand(c, hash, fields.indexOf("salt"), fields.indexOf("is_superuser"));
    }
}
