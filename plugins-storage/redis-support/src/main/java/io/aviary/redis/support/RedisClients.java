package io.aviary.redis.support;

import java.time.Duration;
import java.util.LinkedHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A Jedis client with its connection pool (pool_size connections, per node in cluster mode), for
 * one storage-redis connector or one auth-redis/authz-redis instance. A single-node client
 * connects lazily; a cluster client learns the slot map when it is made, and a sentinel client
 * asks the sentinels for the master, so these are made on first use and made again on the next use
 * after that failed.
 */
public final class RedisClients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClients.class);

    private final String owner;
    private final RedisSettings settings;
    private UnifiedJedis client;
    private boolean closed;

    /** @param owner who logs, as its log lines begin: "storage-redis: tenant=acme connector=c1" */
    public RedisClients(String owner, RedisSettings settings) {
        this.owner = owner;
        this.settings = settings;
    }

    public synchronized UnifiedJedis get() {
        if (closed) {
            throw new JedisConnectionException("connector is stopped");
        }
        if (client == null) {
            client = settings.cluster() ? cluster() : settings.sentinel() != null ? sentinel() : single();
            LOG.info("{} client ready for {} ({})", owner,
                    settings.describeServers(), settings.type());
        }
        return client;
    }

    private ConnectionPoolConfig pool() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setMinIdle(0);
        pool.setMaxWait(Duration.ofMillis(settings.timeoutMs()));
        pool.setTestOnBorrow(false);
        pool.setJmxEnabled(false); // one MBean name per pool would collide across tenants
        return pool;
    }

    private UnifiedJedis single() {
        return RedisClient.builder().hostAndPort(settings.servers().get(0)).clientConfig(settings.clientConfig())
                .poolConfig(pool()).build();
    }

    /** The sentinels name the master when the client is made, and again after a failover. */
    private UnifiedJedis sentinel() {
        return RedisSentinelClient.builder().masterName(settings.sentinel()).sentinels(new LinkedHashSet<>(settings.servers()))
                .sentinelClientConfig(settings.sentinelConfig()).clientConfig(settings.clientConfig()).poolConfig(pool()).build();
    }

    private UnifiedJedis cluster() {
        return RedisClusterClient.builder().nodes(new LinkedHashSet<>(settings.servers()))
                .clientConfig(settings.clientConfig()).poolConfig(pool()).maxAttempts(3)
                .maxTotalRetriesDuration(Duration.ofMillis(settings.timeoutMs())).build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debug("{} close: {}", owner, e.toString());
            }
        }
    }
}
