package io.aviary.loadgen;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Opens one event loop's share of the clients at its share of the connection rate, keeping at
 * most maxPending of them awaiting their CONNACK (or SUBACK). Every millisecond it opens what is
 * due, at most MAX_PER_TICK, so the loop keeps serving the connections it already has. All its
 * state lives on its event loop.
 */
final class ConnectPacer {
    private static final int MAX_PER_TICK = 64;

    private final Transport transport;
    private final EventLoop loop;
    private final List<Client> clients;
    private final double rate;
    private final int maxPending;
    private ScheduledFuture<?> tick;
    private long startNanos;
    private int issued;
    private int settled;

    ConnectPacer(Transport transport, EventLoop loop, List<Client> clients, double rate, int maxPending) {
        this.transport = transport;
        this.loop = loop;
        this.clients = clients;
        this.rate = rate;
        this.maxPending = maxPending;
    }

    void start() {
        loop.execute(() -> {
            startNanos = System.nanoTime();
            tick = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
        });
    }

    void stop() {
        loop.execute(() -> {
            if (tick != null) {
                tick.cancel(false);
            }
        });
    }

    /** A client of this share is connected (and subscribed) or failed: on this loop. */
    void settled() {
        settled++;
    }

    private void tick() {
        long due = rate <= 0 ? Long.MAX_VALUE : (long) ((System.nanoTime() - startNanos) * rate / 1e9) + 1 - issued;
        int n = 0;
        while (issued < clients.size() && n < MAX_PER_TICK && due > 0 && issued - settled < maxPending) {
            Client c = clients.get(issued++);
            n++;
            due--;
            transport.connect(loop, c).addListener(f -> {
                if (!f.isSuccess()) {
                    c.connectFailed(f.cause());
                }
            });
        }
        if (issued == clients.size()) {
            tick.cancel(false);
        }
    }
}
