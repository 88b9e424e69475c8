package io.aviary.auth.redis.backend;

import io.aviary.redis.support.RedisSettings;
import java.util.Map;

/**
 * The connection fields a JSON Schema cannot judge: the server list of the chosen redis_type must
 * be there and parse (host[:port], comma separated). Run by the instances' config checks, so a
 * bad address is a 400 naming its field rather than an instance that never connects.
 */
public final class ConnectionCheck {

    private ConnectionCheck() {
    }

    /** @throws IllegalArgumentException "server: ..." or "servers: ..." */
    public static void check(Map<String, Object> config) {
        Object type = config.getOrDefault("redis_type", "single");
        boolean cluster = "cluster".equals(type);
        boolean sentinel = "sentinel".equals(type);
        String field = cluster || sentinel ? "servers" : "server";
        Object servers = config.get(field);
        if (servers == null) {
            throw new IllegalArgumentException(field + ": required with redis_type " + type);
        }
        if (sentinel && (config.get("sentinel") == null || config.get("sentinel").toString().isBlank())) {
            throw new IllegalArgumentException("sentinel: the master's name is required with redis_type sentinel");
        }
        try {
            RedisSettings.hosts(field, servers.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage().replaceFirst("^field '[^']*':? ?", ""), e);
        }
        if (!cluster && !sentinel && RedisSettings.hosts(field, servers.toString()).size() != 1) {
            throw new IllegalArgumentException("server: one host[:port] with redis_type single (a cluster's nodes go in servers)");
        }
    }
}
