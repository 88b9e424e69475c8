package io.aviary.bridge.mqtt;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Acknowledges incoming messages in the order they arrived, each only once its hand-over completed:
 * MQTT (3.1.1 section 4.6, 5.0 section 4.6) wants PUBACKs in the order of the PUBLISHes, while the
 * hand-overs to the rules may complete in any order.
 */
final class OrderedAcks<T> {
    private static final class Entry<T> {
        final T item;
        boolean done;

        Entry(T item) {
            this.item = item;
        }
    }

    private final ArrayDeque<Entry<T>> pending = new ArrayDeque<>();
    private final Consumer<T> ack;

    OrderedAcks(Consumer<T> ack) {
        this.ack = ack;
    }

    /** Registers an arrival; call {@code complete} on the returned handle when it may be acknowledged. */
    Runnable arrived(T item) {
        Entry<T> e = new Entry<>(item);
        synchronized (pending) {
            pending.add(e);
        }
        return () -> complete(e);
    }

    private void complete(Entry<T> e) {
        synchronized (pending) { // acks leave in order; Paho's messageArrivedComplete only queues a packet
            e.done = true;
            while (!pending.isEmpty() && pending.peek().done) {
                ack.accept(pending.poll().item);
            }
        }
    }

    /** Forgets what was not acknowledged (the connection is gone; the remote broker sends them again). */
    void clear() {
        synchronized (pending) {
            pending.clear();
        }
    }

    int size() {
        synchronized (pending) {
            return pending.size();
        }
    }
}
