package io.aviary.integration;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import io.aviary.store.DurableStore;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One action's buffer: every record rules hand over is written to the integration
 * {@link DurableStore} (key: tenant, action id, sequence number) before it is sent, and deleted
 * once the external system accepted it (or it failed for good, or expired), so what was not
 * delivered survives a restart. Only the newest records are kept on the heap as well (up to
 * {@link #MEMORY_BYTES}), so a sender that keeps up never reads the disk; an outage's backlog
 * stays on disk and is read back a batch at a time. The bound {@code maxBytes} counts the
 * records' bytes: past it the oldest unsent records are dropped (the caller counts them).
 * Per record the heap holds 4 bytes (its size) beyond the in-memory window. Thread-safe.
 */
final class ActionBuffer {

    /** Bytes of records kept on the heap too (the newest), at most. */
    static final long MEMORY_BYTES = 4L << 20;
    private static final int MEMORY_RECORDS = 20_000;
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();
    private static final Type MAP = new TypeToken<Map<String, Object>>() { }.getType();

    /** A buffered record. */
    static final class Rec {
        final long seq;
        final long at;
        final int size;
        final Map<String, Object> record;

        Rec(long seq, long at, int size, Map<String, Object> record) {
            this.seq = seq;
            this.at = at;
            this.size = size;
            this.record = record;
        }
    }

    private final DurableStore store;
    private final byte[] prefix;
    private volatile long maxBytes;
    /** Sizes of the unsent records, [readSeq, nextSeq). */
    private final IntRing sizes = new IntRing();
    /** The newest unsent records, [cacheStart, nextSeq). */
    private final ArrayDeque<Rec> cache = new ArrayDeque<>();
    private long cacheBytes;
    private long nextSeq;
    private long readSeq;
    private long cacheStart;
    /** Bytes of every stored record (unsent and in flight). */
    private long bytes;
    private long unsentBytes;
    private long evictedTicket = DurableStore.NONE;
    private volatile long durableTicket = DurableStore.NONE;
    private boolean awaitingDisk;

    ActionBuffer(DurableStore store, String tenant, String actionId, long maxBytes) {
        this.store = store;
        this.prefix = prefix(tenant, actionId);
        this.maxBytes = maxBytes;
    }

    static byte[] prefix(String tenant, String actionId) {
        return (tenant + "\u0000" + actionId + "\u0000").getBytes(StandardCharsets.UTF_8);
    }

    /** A changed max_buffer_bytes; applies from the next record on. */
    void maxBytes(long max) {
        maxBytes = max;
    }

    /** Reads what a previous run left (at start); returns how many records. */
    synchronized int load() {
        List<long[]> found = new ArrayList<>();
        store.scan(prefix, (k, v) -> found.add(new long[] {seqOf(k), v.length}));
        closeGaps(found);
        for (long[] f : found) {
            if (sizes.size() == 0) {
                readSeq = f[0];
            }
            sizes.add((int) f[1]);
            bytes += f[1];
            unsentBytes += f[1];
            nextSeq = f[0] + 1;
        }
        cacheStart = nextSeq;
        return found.size();
    }

    /**
     * Records in flight when the last run stopped were answered out of order, so the oldest
     * records may have gaps between them; the buffer counts on consecutive numbers, so those
     * (at most an inflight window's worth) are renumbered to end right before the gap-free rest.
     */
    private void closeGaps(List<long[]> found) {
        int i = found.size() - 1;
        while (i > 0 && found.get(i - 1)[0] == found.get(i)[0] - 1) {
            i--;
        }
        if (i <= 0) {
            return;
        }
        List<byte[]> values = new ArrayList<>();
        for (int j = 0; j < i; j++) {
            store.scan(prefix, key(found.get(j)[0]), 1, (k, v) -> values.add(v));
        }
        long first = found.get(i)[0] - i;
        for (int j = i - 1; j >= 0; j--) {
            store.put(key(first + j), values.get(j));
            store.delete(key(found.get(j)[0]));
            found.get(j)[0] = first + j;
        }
        evictedTicket = store.put(key(first), values.get(0)); // the renumbered records are read once durable
    }

    static String encode(Map<String, Object> record) {
        return GSON.toJson(record);
    }

    /**
     * Stores a record (its JSON already encoded by the caller, off any lock).
     *
     * @return how many of the oldest unsent records were dropped to make room (the new record
     *     itself counts when everything else is in flight and it does not fit)
     */
    synchronized int append(Map<String, Object> record, byte[] json, long now) {
        int size = json.length + 8;
        int dropped = 0;
        while (bytes + size > maxBytes && sizes.size() > 0) {
            dropOldest();
            dropped++;
        }
        if (bytes + size > maxBytes) {
            return dropped + 1;
        }
        long seq = nextSeq++;
        byte[] value = ByteBuffer.allocate(size).putLong(now).put(json).array();
        long ticket = store.put(key(seq), value);
        sizes.add(size);
        bytes += size;
        unsentBytes += size;
        cache.addLast(new Rec(seq, now, size, record));
        cacheBytes += size;
        while (cacheBytes > MEMORY_BYTES || cache.size() > MEMORY_RECORDS) {
            Rec out = cache.pollFirst();
            cacheBytes -= out.size;
            cacheStart = out.seq + 1;
            evictedTicket = ticket; // the newest write covers every older one (tickets are ordered)
        }
        return dropped;
    }

    private void dropOldest() {
        int size = sizes.poll();
        if (readSeq == cacheStart && !cache.isEmpty()) {
            Rec r = cache.pollFirst();
            cacheBytes -= r.size;
            cacheStart++;
        } else if (readSeq == cacheStart) {
            cacheStart++;
        }
        store.delete(key(readSeq));
        readSeq++;
        bytes -= size;
        unsentBytes -= size;
    }

    /** Records not yet taken for sending. */
    synchronized int unsent() {
        return sizes.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long unsentBytes() {
        return unsentBytes;
    }

    /** When the oldest unsent record arrived; 0 when it is on disk only (old enough), -1 when none. */
    synchronized long oldestUnsentAt() {
        if (sizes.size() == 0) {
            return -1;
        }
        return readSeq == cacheStart && !cache.isEmpty() ? cache.peekFirst().at : 0;
    }

    /**
     * Takes up to {@code max} of the oldest unsent records for sending. Returns fewer (or none)
     * when the older ones are on disk but not yet durable: then {@code ready} runs once they are,
     * and the caller takes again.
     */
    synchronized List<Rec> take(int max, Runnable ready) {
        List<Rec> out = new ArrayList<>(Math.min(max, sizes.size()));
        if (readSeq < cacheStart) {
            if (evictedTicket > durableTicket) {
                if (!awaitingDisk) {
                    awaitingDisk = true;
                    long wanted = evictedTicket;
                    store.whenDurable(wanted, () -> {
                        synchronized (this) {
                            durableTicket = Math.max(durableTicket, wanted);
                            awaitingDisk = false;
                        }
                        ready.run();
                    });
                }
                return out;
            }
            int n = (int) Math.min(max, cacheStart - readSeq);
            store.scan(prefix, key(readSeq), n, (k, v) -> {
                ByteBuffer b = ByteBuffer.wrap(v);
                long at = b.getLong();
                String json = new String(v, 8, v.length - 8, StandardCharsets.UTF_8);
                out.add(new Rec(seqOf(k), at, v.length, GSON.fromJson(json, MAP)));
            });
        }
        while (out.size() < max && !cache.isEmpty() && readSeq + out.size() >= cacheStart) {
            Rec r = cache.pollFirst();
            cacheBytes -= r.size;
            cacheStart = r.seq + 1;
            out.add(r);
        }
        for (Rec r : out) {
            sizes.poll();
            unsentBytes -= r.size;
        }
        if (!out.isEmpty()) {
            readSeq = out.get(out.size() - 1).seq + 1;
            if (cacheStart < readSeq) {
                cacheStart = readSeq;
            }
        }
        return out;
    }

    /** Forgets a record taken earlier (delivered, failed for good, expired). */
    synchronized void remove(Rec r) {
        store.delete(key(r.seq));
        bytes -= r.size;
    }

    /** Deletes every record (the action is deleted). */
    synchronized void clear() {
        store.deletePrefix(prefix);
        cache.clear();
        sizes.clear();
        cacheBytes = 0;
        bytes = 0;
        unsentBytes = 0;
        readSeq = nextSeq;
        cacheStart = nextSeq;
    }

    private byte[] key(long seq) {
        byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
        ByteBuffer.wrap(k, prefix.length, 8).putLong(seq);
        return k;
    }

    private long seqOf(byte[] key) {
        return ByteBuffer.wrap(key, prefix.length, 8).getLong();
    }

    /** A growable ring of ints (the unsent records' sizes): 4 bytes per record. */
    static final class IntRing {
        private int[] a = new int[16];
        private int head;
        private int size;

        void add(int v) {
            if (size == a.length) {
                int[] b = new int[a.length * 2];
                for (int i = 0; i < size; i++) {
                    b[i] = a[(head + i) % a.length];
                }
                a = b;
                head = 0;
            }
            a[(head + size++) % a.length] = v;
        }

        int poll() {
            int v = a[head];
            head = (head + 1) % a.length;
            size--;
            if (size == 0 && a.length > 1024) {
                a = new int[16];
                head = 0;
            }
            return v;
        }

        int size() {
            return size;
        }

        void clear() {
            a = new int[16];
            head = 0;
            size = 0;
        }
    }
}
