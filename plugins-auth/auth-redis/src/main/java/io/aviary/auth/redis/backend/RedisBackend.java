package io.aviary.auth.redis.backend;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.aviary.plugin.client.ConfigValues;
import io.aviary.redis.support.RedisClients;
import io.aviary.redis.support.RedisSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;

/**
 * One auth-redis or authz-redis instance's way to Redis: its connection settings (EMQX's top-level
 * fields: redis_type, server/servers, sentinel, database, username, password, pool_size, ssl; and Aviary's
 * request_timeout), the pooled Jedis client, and a bounded executor of pool_size threads. Jedis
 * blocks, so every call runs there and the broker gets a stage: no event loop waits for Redis. A
 * call that does not finish within request_timeout, or finds the queue full, fails, and the
 * instance answers ignore.
 */
public final class RedisBackend implements AutoCloseable {
    private static final int MAX_QUEUED = 10_000;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final RedisSettings settings;
    private final RedisClients clients;
    private final ThreadPoolExecutor executor;
    private final long timeoutMs;

    /** @param owner how the instance's log lines begin ("auth-redis: tenant=acme") */
    public RedisBackend(Map<String, Object> props, String owner, String threadName) {
        this.timeoutMs = ConfigValues.duration(props, "request_timeout", DEFAULT_TIMEOUT).toMillis();
        this.settings = RedisSettings.from(props, object(props.get("ssl")), "", (int) Math.min(timeoutMs, Integer.MAX_VALUE), true);
        this.clients = new RedisClients(owner, settings);
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(settings.poolSize(), settings.poolSize(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
                    Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    public RedisSettings settings() {
        return settings;
    }

    /**
     * Runs {@code call} with the client on the instance's executor; the stage fails with the
     * client's exception, a TimeoutException after request_timeout, or RejectedExecutionException
     * when 10,000 calls already wait.
     */
    public <T> CompletionStage<T> call(Function<UnifiedJedis, T> call) {
        try {
            return CompletableFuture.supplyAsync(() -> call.apply(clients.get()), executor)
                    .orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** What a failed call's exception says, for one log line (never a password: Jedis does not echo it). */
    public static String describe(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && (e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException)) {
            e = e.getCause();
        }
        if (e instanceof TimeoutException) {
            return "no answer within the request timeout";
        }
        if (e instanceof RejectedExecutionException) {
            return "too many calls waiting";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** A nested config object: JSON text in the instance's properties, a Map in a config check. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        Map<String, Object> parsed = new Gson().fromJson(value.toString(), new TypeToken<Map<String, Object>>() { }.getType());
        return parsed == null ? Map.of() : parsed;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        clients.close();
    }
}
