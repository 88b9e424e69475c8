package io.aviary.bridge.mqtt;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The connector's max_inflight as an asynchronous semaphore: a publish waits (without a thread)
 * for a free slot instead of failing with Paho's "too many publishes in progress", so a batch
 * larger than the window is sent in full, at the pace of the remote broker's acknowledgements.
 */
final class InflightGate {
    private final int limit;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int used;

    InflightGate(int limit) {
        this.limit = limit;
    }

    CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (used < limit) {
                used++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> slot = new CompletableFuture<>();
            waiting.add(slot);
            return slot;
        }
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                used--;
                return;
            }
        }
        next.complete(null); // the slot passes on directly; completed outside the lock
    }

    synchronized int inUse() {
        return used;
    }
}
