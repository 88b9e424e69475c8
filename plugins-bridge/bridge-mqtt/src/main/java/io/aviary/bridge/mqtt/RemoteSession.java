package io.aviary.bridge.mqtt;

import io.aviary.api.integration.Health;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one client connected to the remote broker: connects in the background, and after a failure
 * or a lost connection tries again with backoff (0.5 s doubling to 10 s, with jitter), remembering
 * the last error in the remote broker's (or the socket's) own words for the connector's health.
 * Paho's own automatic reconnect is off: it does not retry a first connect that failed, and it
 * hides the error.
 */
final class RemoteSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteSession.class);
    private static final long MIN_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 10_000;

    /** Called on every successful (re)connect, e.g. to subscribe again; its failure drops the connection. */
    interface OnConnected {
        CompletableFuture<Void> run(RemoteClient client);
    }

    private final String logPrefix;
    private final String clientId;
    private final ScheduledExecutorService scheduler;
    private final RemoteClient client;
    private final OnConnected onConnected;
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile boolean ready;
    private volatile String lastError;
    private CompletableFuture<Void> attempt = new CompletableFuture<>();
    private long backoff = MIN_BACKOFF_MS;

    RemoteSession(String logPrefix, String clientId, ScheduledExecutorService scheduler,
            Function<RemoteClient.Listener, RemoteClient> factory, RemoteClient.Listener inbound, OnConnected onConnected) {
        this.logPrefix = logPrefix;
        this.clientId = clientId;
        this.scheduler = scheduler;
        this.onConnected = onConnected;
        this.client = factory.apply(new RemoteClient.Listener() {
            @Override
            public void arrived(RemoteClient.Incoming message) {
                inbound.arrived(message);
            }

            @Override
            public void lost(Throwable cause) {
                connectionLost(cause);
            }
        });
    }

    /** Starts connecting in the background. */
    RemoteSession start() {
        connectNow();
        return this;
    }

    RemoteClient client() {
        return client;
    }

    String clientId() {
        return clientId;
    }

    /** Connected, and whatever must follow a connect (subscriptions) is done. */
    boolean ready() {
        return ready && client.isConnected();
    }

    String lastError() {
        return lastError;
    }

    /** The current connect attempt (completed when connected, or failed with its error). */
    CompletableFuture<Void> attempt() {
        synchronized (lock) {
            return attempt;
        }
    }

    Health health() {
        if (ready()) {
            return Health.connected();
        }
        String error = lastError;
        return error == null ? Health.connecting("connecting to the remote broker") : Health.disconnected(error);
    }

    private void connectNow() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> current;
        synchronized (lock) {
            if (attempt.isDone()) {
                attempt = new CompletableFuture<>();
            }
            current = attempt;
        }
        client.connect().thenCompose(v -> onConnected.run(client)).whenComplete((v, error) -> {
            if (error == null && !closed) {
                ready = true;
                synchronized (lock) {
                    backoff = MIN_BACKOFF_MS;
                }
                if (lastError != null) {
                    LOG.info("{} client={} connected again", logPrefix, clientId);
                } else {
                    LOG.info("{} client={} connected", logPrefix, clientId);
                }
                lastError = null;
                current.complete(null);
            } else if (error != null) {
                String text = Errors.describe(error);
                if (!text.equals(lastError)) {
                    LOG.warn("{} client={} cannot connect: {}", logPrefix, clientId, text);
                }
                lastError = text;
                current.completeExceptionally(Errors.unwrap(error));
                if (client.isConnected()) {
                    client.disconnect(); // connected but its subscriptions failed: not half-working
                }
                scheduleReconnect();
            }
        });
    }

    private void connectionLost(Throwable cause) {
        ready = false;
        String text = cause == null ? "connection lost" : "connection lost: " + Errors.describe(cause);
        lastError = text;
        LOG.warn("{} client={} {}", logPrefix, clientId, text);
        synchronized (lock) {
            if (attempt.isDone()) {
                attempt = new CompletableFuture<>();
            }
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay;
        synchronized (lock) {
            delay = backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
        try {
            scheduler.schedule(this::connectNow, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the runtime is stopping
        }
    }

    @Override
    public void close() {
        closed = true;
        ready = false;
        client.close();
        synchronized (lock) {
            attempt.completeExceptionally(new IllegalStateException("closed"));
        }
    }
}
