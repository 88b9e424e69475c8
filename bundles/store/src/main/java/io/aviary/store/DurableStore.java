package io.aviary.store;

import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An ordered key-value store on local disk, written through a group commit: every write gets a
 * ticket at once (it is queued, not yet on disk), and {@link #whenDurable} runs an action once
 * all writes up to a ticket are synced. Writes are applied in ticket order, so a later write of
 * the same key wins. Callers keep keys starting with the tenant id, so a tenant's records can be
 * scanned and deleted by prefix. Thread-safe; no method blocks on disk I/O except {@link #scan}
 * and {@link #compact}.
 */
@ProviderType
public interface DurableStore {

    /** Ticket of "nothing written": {@link #whenDurable} runs its action at once. */
    long NONE = 0;

    /**
     * False in {@code memory} mode: the store keeps nothing and the broker keeps sessions,
     * queues and retained messages on the heap only (faster, lost on restart).
     */
    boolean durable();

    /** Queues a put; returns its ticket. */
    long put(byte[] key, byte[] value);

    /** Queues a delete; returns its ticket. */
    long delete(byte[] key);

    /** Queues the delete of every key starting with {@code prefix}; returns its ticket. */
    long deletePrefix(byte[] prefix);

    /**
     * Runs {@code action} once every write with a ticket up to {@code ticket} is on disk: at once
     * on the caller's thread when it already is and no earlier action waits, else on the store's
     * commit thread, in the order the actions were given. Actions must be short and never block.
     */
    void whenDurable(long ticket, Runnable action);

    /**
     * Service property telling the store instances apart: {@link #PURPOSE_SESSIONS} (the broker's
     * sessions, queues and retained messages; follows durable_sessions.mode) or
     * {@link #PURPOSE_INTEGRATION} (the data integration's action buffers; always on disk).
     */
    String PURPOSE = "aviary.store.purpose";
    String PURPOSE_SESSIONS = "sessions";
    String PURPOSE_INTEGRATION = "integration";

    /** Calls {@code visitor} with every stored key starting with {@code prefix}, in key order (reads disk). */
    void scan(byte[] prefix, BiConsumer<byte[], byte[]> visitor);

    /**
     * A bounded scan: calls {@code visitor} with at most {@code limit} stored keys that start with
     * {@code prefix} and are not less than {@code from}, in key order (reads disk; sees writes
     * once they are durable).
     *
     * @return how many records were visited
     */
    int scan(byte[] prefix, byte[] from, int limit, BiConsumer<byte[], byte[]> visitor);

    /** Reclaims the space of deleted records (a full compaction; reads and writes disk). */
    void compact();

    /** Bytes the store occupies on disk (live and not yet compacted data), an estimate. */
    long diskSize();
}
