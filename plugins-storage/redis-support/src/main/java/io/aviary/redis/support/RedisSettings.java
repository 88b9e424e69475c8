package io.aviary.redis.support;

import io.aviary.plugin.client.ClientTls;
import io.aviary.plugin.client.ConfigValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * How to reach a Redis deployment, in EMQX 5's field names (redis_type single, cluster or sentinel,
 * server or servers, sentinel (the master's name), username, password, database, pool_size, and
 * the ssl object). EMQX nests these under
 * {@code parameters} for a connector and keeps them at the top level for an authenticator or
 * authorization source, so the reader is told where they are ({@code prefix}, for the field names
 * of its errors).
 *
 * @param sentinel  the master's name with redis_type sentinel (servers are then the sentinels), else null
 * @param timeoutMs connect and read timeout, and the longest wait for a pooled connection
 */
public record RedisSettings(boolean cluster, String sentinel, List<HostAndPort> servers, String username, String password,
        int database, int poolSize, ClientTls tls, int timeoutMs) {

    public static final int DEFAULT_PORT = 6379;
    /** Connect and read timeout unless told otherwise: a call answers within about this. */
    public static final int DEFAULT_TIMEOUT_MS = 5000;

    /**
     * @param fields the object holding redis_type, server(s), ... (a connector's {@code parameters})
     * @param ssl    the ssl object (empty: no TLS)
     * @param prefix how error messages name the fields' object: "parameters." or ""
     * @param sentinelAllowed whether redis_type sentinel is offered (the auth plugins; not storage-redis yet)
     * @throws IllegalArgumentException "field '<prefix><name>': ..." for what the schema could not refuse
     */
    public static RedisSettings from(Map<String, Object> fields, Map<String, Object> ssl, String prefix, int timeoutMs,
            boolean sentinelAllowed) {
        String type = ConfigValues.string(fields, "redis_type", "single");
        boolean sentinel = sentinelAllowed && type.equals("sentinel");
        if (!type.equals("single") && !type.equals("cluster") && !sentinel) {
            throw new IllegalArgumentException("field '" + prefix + "redis_type': " + type + " is not supported (single or cluster"
                    + (sentinelAllowed ? " or sentinel)" : ")"));
        }
        boolean cluster = type.equals("cluster");
        String master = sentinel ? ConfigValues.string(fields, "sentinel", "") : null;
        if (sentinel && master.isEmpty()) {
            throw new IllegalArgumentException("field '" + prefix + "sentinel' (the master's name) is required with redis_type sentinel");
        }
        String field = cluster || sentinel ? "servers" : "server";
        String servers = ConfigValues.string(fields, field, ConfigValues.string(fields, field.equals("servers") ? "server" : "servers", null));
        if (servers == null) {
            throw new IllegalArgumentException("field '" + prefix + field + "' is required");
        }
        String user = ConfigValues.string(fields, "username", "");
        String password = ConfigValues.string(fields, "password", "");
        return new RedisSettings(cluster, master, hosts(prefix + field, servers), user.isEmpty() ? null : user,
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

    /** For the sentinels themselves: the same timeouts and TLS, without the data nodes' credentials and database. */
    public JedisClientConfig sentinelConfig() {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs).clientName("aviary");
        if (tls != null) {
            b.ssl(true).sslSocketFactory(tls.context().getSocketFactory());
            if (!tls.verifyPeer()) {
                b.hostnameVerifier((host, session) -> true);
            }
        }
        return b.build();
    }

    public String type() {
        return cluster ? "cluster" : sentinel != null ? "sentinel" : "single";
    }

    public String describeServers() {
        return sentinel != null ? servers + " (sentinels of " + sentinel + ")" : servers.toString();
    }
}
