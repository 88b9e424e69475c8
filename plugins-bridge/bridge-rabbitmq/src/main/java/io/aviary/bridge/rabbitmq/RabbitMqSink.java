package io.aviary.bridge.rabbitmq;

import com.rabbitmq.client.Channel;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rabbitmq action: publishes each batch on one of its channels (one per pooled connection, in
 * confirm mode) and completes only when RabbitMQ confirmed every message of the batch. A nack, a
 * confirmation timeout or a lost connection fails the batch as retryable (the channel is dropped
 * and opened again for the next batch); a channel the broker closed because the exchange does not
 * exist (404) fails it as fatal. The AMQP client blocks, so batches run on the action's own
 * threads, one per channel: at most pool_size batches are in flight, the rest wait their turn.
 */
final class RabbitMqSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqSink.class);

    private final String tenant;
    private final String actionId;
    private final ConnectionPool pool;
    private final PublishTemplate template;
    private final ExecutorService threads;
    private final BlockingQueue<Integer> freeSlots;
    private final Channel[] channels;
    private final java.util.function.Consumer<RabbitMqSink> onClose;

    RabbitMqSink(String tenant, String actionId, ConnectionPool pool, PublishTemplate template,
            java.util.function.Consumer<RabbitMqSink> onClose) {
        this.onClose = onClose;
        this.tenant = tenant;
        this.actionId = actionId;
        this.pool = pool;
        this.template = template;
        int n = pool.size();
        this.channels = new Channel[n];
        this.freeSlots = new ArrayBlockingQueue<>(n);
        for (int i = 0; i < n; i++) {
            freeSlots.add(i);
        }
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "rabbitmq-" + tenant + "-" + actionId + "-" + count.incrementAndGet());
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
                    publish(records);
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(safely(t));
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(SinkException.retryable("action is stopped", e));
        }
        return done;
    }

    private void publish(List<Map<String, Object>> records) {
        int slot;
        try {
            slot = freeSlots.take(); // never waits long: there are as many threads as slots
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SinkException.retryable("interrupted", e);
        }
        try {
            Channel ch = channel(slot);
            for (Map<String, Object> record : records) {
                PublishTemplate.Rendered m = template.render(record);
                ch.basicPublish(m.exchange(), m.routingKey(), m.properties(), m.body());
            }
            if (template.waitForConfirms() && !ch.waitForConfirms(template.confirmTimeout().toMillis())) {
                drop(slot);
                throw SinkException.retryable("RabbitMQ: Got NACK when waiting for message acknowledgment.", null);
            }
        } catch (TimeoutException e) {
            drop(slot);
            throw SinkException.retryable("RabbitMQ: Timeout when waiting for message acknowledgment.", e);
        } catch (InterruptedException e) {
            drop(slot);
            Thread.currentThread().interrupt();
            throw SinkException.retryable("interrupted", e);
        } catch (SinkException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            drop(slot);
            SinkException failure = safely(e);
            LOG.debug("bridge-rabbitmq: tenant={} action={} batch of {} failed ({}): {}", tenant, actionId, records.size(),
                    failure.retryable() ? "retryable" : "fatal", failure.getMessage());
            throw failure;
        } finally {
            freeSlots.add(slot);
        }
    }

    /** Classifying must never throw: the batch's future has to complete whatever went wrong. */
    private static SinkException safely(Throwable t) {
        try {
            return RabbitErrors.classify(t);
        } catch (Throwable broken) {
            return SinkException.retryable(t.toString(), t);
        }
    }

    /** The slot's channel, opened (and put in confirm mode) on the slot's connection when it has none. */
    private Channel channel(int slot) throws IOException, TimeoutException {
        Channel ch = channels[slot];
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        ch = pool.get(slot).createChannel();
        if (ch == null) {
            throw new IOException("no channel available on the connection (channel_max reached)");
        }
        if (template.waitForConfirms()) {
            ch.confirmSelect();
        }
        channels[slot] = ch;
        return ch;
    }

    /** Forgets a channel whose state is unknown (unconfirmed messages, closed by the broker). */
    private void drop(int slot) {
        Channel ch = channels[slot];
        channels[slot] = null;
        if (ch != null && ch.isOpen()) {
            try {
                ch.abort();
            } catch (IOException | RuntimeException ignored) {
                // already going away
            }
        }
    }

    @Override
    public void close() {
        onClose.accept(this);
        threads.shutdownNow();
        for (int i = 0; i < channels.length; i++) {
            drop(i);
        }
    }
}
