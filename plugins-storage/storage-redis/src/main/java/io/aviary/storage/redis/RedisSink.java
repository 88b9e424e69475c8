package io.aviary.storage.redis;

import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import io.aviary.redis.support.RedisClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * One redis action: renders its command template per record and sends the batch as one pipeline
 * (in cluster mode, one pipeline per node the keys live on). The batch succeeds when every reply
 * is not an error. Redis has no rollback, so when some replies are errors the other commands of
 * the batch did run: the batch fails as fatal when the errors are the command's own fault
 * (WRONGTYPE, unknown command), as retryable when the connection failed or the cluster was moving.
 * Jedis blocks, so batches run on the action's own pool_size threads.
 */
final class RedisSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSink.class);

    private final String tenant;
    private final String actionId;
    private final RedisClients clients;
    private final CommandTemplate template;
    private final ExecutorService threads;
    private final Consumer<RedisSink> onClose;

    RedisSink(String tenant, String actionId, RedisClients clients, CommandTemplate template, int threadCount,
            Consumer<RedisSink> onClose) {
        this.tenant = tenant;
        this.actionId = actionId;
        this.clients = clients;
        this.template = template;
        this.onClose = onClose;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "redis-" + tenant + "-" + actionId + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletionStage<Void> send(List<Map<String, Object>> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                try {
                    write(records);
                    done.complete(null);
                } catch (Throwable t) {
                    SinkException failure = safely(t);
                    LOG.debug("storage-redis: tenant={} action={} batch of {} failed ({}): {}", tenant, actionId,
                            records.size(), failure.retryable() ? "retryable" : "fatal", failure.getMessage());
                    done.completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(SinkException.retryable("action is stopped", e));
        }
        return done;
    }

    private void write(List<Map<String, Object>> records) {
        UnifiedJedis client = clients.get();
        List<Response<Object>> replies = new ArrayList<>(records.size());
        try (AbstractPipeline pipeline = client.pipelined()) {
            for (Map<String, Object> record : records) {
                replies.add(pipeline.sendCommand(template.render(record)));
            }
            pipeline.sync();
        }
        SinkException firstFatal = null;
        int failed = 0;
        for (Response<Object> reply : replies) {
            try {
                reply.get();
            } catch (RuntimeException e) {
                failed++;
                SinkException f = RedisErrors.classify(e);
                if (f.retryable()) {
                    throw f; // the cluster moved or a node went away: the whole batch again
                }
                if (firstFatal == null) {
                    firstFatal = f;
                }
            }
        }
        if (firstFatal != null) {
            throw SinkException.fatal(failed == records.size() ? firstFatal.getMessage()
                    : firstFatal.getMessage() + " (" + failed + " of " + records.size() + " commands failed)", firstFatal);
        }
    }

    /** Classifying must never throw: the batch's future has to complete whatever went wrong. */
    private static SinkException safely(Throwable t) {
        try {
            return RedisErrors.classify(t);
        } catch (Throwable broken) {
            return SinkException.retryable(t.toString(), t);
        }
    }

    @Override
    public void close() {
        onClose.accept(this);
        threads.shutdownNow();
    }
}
