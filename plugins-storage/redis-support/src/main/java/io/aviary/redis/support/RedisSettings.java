package io.aviary.redis.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * How to reach a Redis deployment, in EMQX 5's field names (redis_type single or cluster, server or
 * servers, username, password, database, pool_size, and the ssl object). EMQX nests these under
 * {@code parameters} for a connector and keeps them at the top level for an authenticator or
 * authorization source, so the reader is told where they are ({@code prefix}, for the field names
 * of its errors).
 *
 * @param timeoutMs connect and read timeout, and the longest wait for a pooled connection
 */
public record RedisSettings(boolean cluster, List<HostAndPort> servers, String username, String password, int database,
        int poolSize, ClientTls tls, int timeoutMs) {

    public static final int DEFAULT_PORT = 6379;
    /** Connect and read timeout unless told otherwise: a call answers within about this. */
    public static final int DEFAULT_TIMEOUT_MS = 5000;

    /**
     * @param fields the object holding redis_type, server(s), ... (a connector's {@code parameters})
     * @param ssl    the ssl object (empty: no TLS)
     * @param prefix how error messages name the fields' object: "parameters." or ""
     * @throws IllegalArgumentException "field '<prefix><name>': ..." for what the schema could not refuse
     */
    public static RedisSettings from(Map<String, Object> fields, Map<String, Object> ssl, String prefix, int timeoutMs) {
        String type = ConfigValues.string(fields, "redis_type", "single");
        if (!type.equals("single") && !type.equals("cluster")) {
            throw new IllegalArgumentException("field '" + prefix + "redis_type': " + type + " is not supported (single or cluster)");
        }
        boolean cluster = type.equals("cluster");
        String field = cluster ? "servers" : "server";
        String servers = ConfigValues.string(fields, field, ConfigValues.string(fields, cluster ? "server" : "servers", null));
        if (servers == null) {
            throw new IllegalArgumentException("field '" + prefix + field + "' is required");
        }
        String user = ConfigValues.string(fields, "username", "");
        String password = ConfigValues.string(fields, "password", "");
        return new RedisSettings(cluster, hosts(prefix + field, servers), user.isEmpty() ? null : user,
                password.isEmpty() ? null : password, cluster ? 0 : ConfigValues.integer(fields, "database", 0),
                ConfigValues.integer(fields, "pool_size", 8), ClientTls.from(ssl), timeoutMs);
    }

    /** "host[:port]" entries separated by commas; the port defaults to 6379. */
    public static List<HostAndPort> hosts(String field, String servers) {
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
                throw new IllegalArgumentException("field '" + field + "': bad port in '" + one + "'");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("field '" + field + "' names no host");
        }
        return out;
    }

    public JedisClientConfig clientConfig() {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs).user(username).password(password).clientName("aviary");
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

    public String describeServers() {
        return servers.toString();
    }
}
