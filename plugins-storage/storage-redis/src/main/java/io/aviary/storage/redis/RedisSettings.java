package io.aviary.storage.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * A redis connector's configuration in EMQX 5's shape: {@code parameters} (redis_type single or
 * cluster, server or servers, username, password, database, pool_size) and {@code ssl}.
 */
record RedisSettings(boolean cluster, List<HostAndPort> servers, String username, String password, int database,
        int poolSize, ClientTls tls) {

    static final int DEFAULT_PORT = 6379;
    /** Connect and read timeout: a check answers within about this. */
    static final int TIMEOUT_MS = 5000;

    static RedisSettings from(Map<String, Object> config) {
        Map<String, Object> p = ConfigValues.object(config, "parameters");
        String type = ConfigValues.string(p, "redis_type", "single");
        if (!type.equals("single") && !type.equals("cluster")) {
            throw new IllegalArgumentException("field 'parameters.redis_type': " + type + " is not supported (single or cluster)");
        }
        boolean cluster = type.equals("cluster");
        String field = cluster ? "servers" : "server";
        String servers = ConfigValues.string(p, field, ConfigValues.string(p, cluster ? "server" : "servers", null));
        if (servers == null) {
            throw new IllegalArgumentException("field 'parameters." + field + "' is required");
        }
        String user = ConfigValues.string(p, "username", "");
        String password = ConfigValues.string(p, "password", "");
        return new RedisSettings(cluster, hosts(field, servers), user.isEmpty() ? null : user,
                password.isEmpty() ? null : password, cluster ? 0 : ConfigValues.integer(p, "database", 0),
                ConfigValues.integer(p, "pool_size", 8), ClientTls.from(ConfigValues.object(config, "ssl")));
    }

    /** "host[:port]" entries separated by commas; the port defaults to 6379. */
    static List<HostAndPort> hosts(String field, String servers) {
        List<HostAndPort> out = new ArrayList<>();
        for (String s : servers.split(",")) {
            String one = s.trim();
            if (one.isEmpty()) {
                continue;
            }
            int colon = one.lastIndexOf(':');
            try {
                out.add(colon > 0 && one.indexOf(':') == colon
                        ? new HostAndPort(one.substring(0, colon), Integer.parseInt(one.substring(colon + 1)))
                        : new HostAndPort(one, DEFAULT_PORT));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field 'parameters." + field + "': bad port in '" + one + "'");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("field 'parameters." + field + "' names no host");
        }
        return out;
    }

    JedisClientConfig clientConfig() {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().connectionTimeoutMillis(TIMEOUT_MS)
                .socketTimeoutMillis(TIMEOUT_MS).user(username).password(password).clientName("aviary");
        if (!cluster) {
            b.database(database);
        }
        if (tls != null) {
            b.ssl(true).sslSocketFactory(tls.context().getSocketFactory());
            if (!tls.verifyPeer()) {
                b.hostnameVerifier((host, session) -> true);
            }
        }
        return b.build();
    }

    String describeServers() {
        return servers.toString();
    }
}
