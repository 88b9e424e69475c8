package io.aviary.store.internal;

import io.aviary.store.DurableStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DurableStore} on RocksDB with a group commit: writes collect in one WriteBatch, and a
 * single commit thread writes it with sync (fsync of the WAL), then runs the actions waiting for
 * those writes in order. A write someone waits for ({@link #whenDurable}, e.g. a PUBACK) is synced
 * at once when no sync runs; writes arriving during a sync gather into the next one. So a lone
 * publisher waits one fsync, not a timer, and under load many acknowledgements share one fsync.
 * Writes nobody waits for (deletes of acknowledged messages, session updates) ride along with the
 * next sync, or are synced once the oldest is one window old. No caller thread waits for the disk.
 */
public final class RocksStore implements DurableStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RocksStore.class);

    /** Sorts before every tenant-prefixed key; says which record layout the folder holds. */
    static final byte[] FORMAT_KEY = "\u0000aviary.store.format".getBytes(StandardCharsets.UTF_8);
    static final String FORMAT = "aviary-store-1";

    private record Waiter(long ticket, Runnable action) {
    }

    private final Path dir;
    private final RocksDB db;
    private final Options options;
    private final WriteOptions syncWrite;
    private final long windowNanos;
    private final Object lock = new Object();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final Thread committer;
    private WriteBatch batch = new WriteBatch();
    private long lastTicket;
    private long syncedTicket;
    private long pendingSince;
    private long maxWaitedTicket;
    private long syncs;
    private boolean idle;
    private volatile boolean closed;

    private RocksStore(Path dir, RocksDB db, Options options, long windowMs) {
        this.dir = dir;
        this.db = db;
        this.options = options;
        this.syncWrite = new WriteOptions().setSync(true);
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMs);
        this.committer = new Thread(this::commitLoop, "aviary-store-commit");
        this.committer.setDaemon(true);
        this.committer.start();
    }

    /**
     * Opens (creating if missing) the store in {@code dir}. A folder that holds something else,
     * a corrupted database or another record format is refused, never wiped.
     */
    public static RocksStore open(Path dir, long windowMs) {
        RocksDB.loadLibrary();
        boolean fresh = isEmptyOrMissing(dir);
        if (!fresh && !Files.exists(dir.resolve("CURRENT"))) {
            throw unusable(dir, "the folder is not empty but holds no RocksDB database", null);
        }
        Options options = new Options().setCreateIfMissing(true).setParanoidChecks(true)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setKeepLogFileNum(2)
                .setMaxTotalWalSize(64L << 20);
        RocksDB db;
        try {
            Files.createDirectories(dir);
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            options.close();
            throw unusable(dir, describe(e), e);
        } catch (IOException e) {
            options.close();
            throw unusable(dir, "cannot create the folder: " + e.getMessage(), e);
        }
        try {
            checkFormat(db, fresh);
            db.verifyChecksum();
        } catch (RocksDBException e) {
            db.close();
            options.close();
            throw unusable(dir, describe(e), e);
        } catch (StoreUnusableException e) {
            db.close();
            options.close();
            throw unusable(dir, e.getMessage(), null);
        }
        return new RocksStore(dir, db, options, windowMs);
    }

    private static void checkFormat(RocksDB db, boolean fresh) throws RocksDBException {
        byte[] format = db.get(FORMAT_KEY);
        if (format == null) {
            if (!fresh && hasAnyKey(db)) {
                throw new StoreUnusableException("the database has no Aviary format marker (not an Aviary store)", null);
            }
            try (WriteOptions sync = new WriteOptions().setSync(true)) {
                db.put(sync, FORMAT_KEY, FORMAT.getBytes(StandardCharsets.UTF_8));
            }
        } else if (!FORMAT.equals(new String(format, StandardCharsets.UTF_8))) {
            throw new StoreUnusableException("the store has format '" + new String(format, StandardCharsets.UTF_8)
                    + "', this version reads '" + FORMAT + "'", null);
        }
    }

    private static boolean hasAnyKey(RocksDB db) {
        try (RocksIterator it = db.newIterator()) {
            it.seekToFirst();
            return it.isValid();
        }
    }

    private static boolean isEmptyOrMissing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(RocksDBException e) {
        Status s = e.getStatus();
        String code = s == null ? "" : s.getCode() + ": ";
        return code + e.getMessage();
    }

    private static StoreUnusableException unusable(Path dir, String why, Throwable cause) {
        return new StoreUnusableException("durable store " + dir + " cannot be used (" + why + "). Nothing was"
                + " deleted. Restore the folder from a backup, or move it away to start with an empty store"
                + " (the sessions, queued and retained messages in it are then lost), or set"
                + " durable_sessions.mode = memory.", cause);
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public long put(byte[] key, byte[] value) {
        synchronized (lock) {
            try {
                batch.put(key, value);
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
            return queued();
        }
    }

    @Override
    public long delete(byte[] key) {
        synchronized (lock) {
            try {
                batch.delete(key);
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
            return queued();
        }
    }

    @Override
    public long deletePrefix(byte[] prefix) {
        synchronized (lock) {
            try {
                batch.deleteRange(prefix, prefixEnd(prefix));
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
            return queued();
        }
    }

    /** Under the lock: one more write in the batch; wakes the commit thread for the first one. */
    private long queued() {
        if (pendingSince == 0) {
            pendingSince = System.nanoTime() | 1;
            if (idle) {
                lock.notify();
            }
        }
        return ++lastTicket;
    }

    @Override
    public void whenDurable(long ticket, Runnable action) {
        synchronized (lock) {
            if (ticket <= syncedTicket && waiters.isEmpty()) {
                action.run(); // under the lock, so it cannot overtake actions the commit thread is running
                return;
            }
            waiters.add(new Waiter(ticket, action));
            if (ticket > maxWaitedTicket) {
                maxWaitedTicket = ticket;
            }
            if (idle) {
                lock.notify();
            }
        }
    }

    private void commitLoop() {
        while (true) {
            WriteBatch toWrite;
            long upTo;
            synchronized (lock) {
                if (!awaitWork()) {
                    return;
                }
                toWrite = batch;
                upTo = lastTicket;
                batch = new WriteBatch();
                pendingSince = 0;
            }
            boolean synced = write(toWrite);
            synchronized (lock) {
                if (synced) {
                    syncs++;
                }
                syncedTicket = upTo;
                while (!waiters.isEmpty() && waiters.peek().ticket() <= syncedTicket) {
                    runSafely(waiters.poll().action());
                }
            }
        }
    }

    /** Number of batches written with sync so far (how well writes were grouped). */
    long syncCount() {
        synchronized (lock) {
            return syncs;
        }
    }

    /**
     * Under the lock: waits until there is something to do; false once closed and drained. Pending
     * writes are taken at once when someone waits for one of them (or the store closes), else
     * once the oldest is a window old; waiters for writes already synced are run at once.
     */
    private boolean awaitWork() {
        try {
            while (true) {
                if (pendingSince != 0) {
                    long left = pendingSince + windowNanos - System.nanoTime();
                    if (closed || maxWaitedTicket > syncedTicket || left <= 0) {
                        return true;
                    }
                    idle = true;
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                    idle = false;
                } else if (!waiters.isEmpty() && waiters.peek().ticket() <= syncedTicket) {
                    return true;
                } else if (closed) {
                    return false;
                } else {
                    idle = true;
                    lock.wait();
                    idle = false;
                }
            }
        } catch (InterruptedException e) {
            idle = false;
            Thread.currentThread().interrupt();
            return !closed;
        }
    }

    /** Writes one group with fsync (false when empty); retries (acknowledgements wait) while the disk refuses it. */
    private boolean write(WriteBatch toWrite) {
        try {
            if (toWrite.count() == 0) {
                return false;
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    db.write(syncWrite, toWrite);
                    return true;
                } catch (RocksDBException e) {
                    if (attempt == 0) {
                        LOG.error("durable store {}: write failed, acknowledgements wait until it succeeds: {}", dir,
                                describe(e));
                    }
                    if (closed && attempt > 3) {
                        return false;
                    }
                    sleepQuietly(100);
                }
            }
        } finally {
            toWrite.close();
        }
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("durable store: an action after commit failed: {}", e.toString(), e);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void scan(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!startsWith(key, prefix)) {
                    break;
                }
                visitor.accept(key, it.value());
            }
            it.status();
        } catch (RocksDBException e) {
            throw unusable(dir, describe(e), e);
        }
    }

    @Override
    public int scan(byte[] prefix, byte[] from, int limit, BiConsumer<byte[], byte[]> visitor) {
        int n = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(from); it.isValid() && n < limit; it.next()) {
                byte[] key = it.key();
                if (!startsWith(key, prefix)) {
                    break;
                }
                visitor.accept(key, it.value());
                n++;
            }
            it.status();
        } catch (RocksDBException e) {
            throw unusable(dir, describe(e), e);
        }
        return n;
    }

    @Override
    public void compact() {
        try {
            db.compactRange();
        } catch (RocksDBException e) {
            LOG.warn("durable store {}: compaction failed: {}", dir, describe(e));
        }
    }

    @Override
    public long diskSize() {
        try {
            return db.getLongProperty("rocksdb.total-sst-files-size") + db.getLongProperty("rocksdb.cur-size-all-mem-tables");
        } catch (RocksDBException e) {
            return 0;
        }
    }

    /** Writes everything queued, runs the waiting actions, stops the commit thread and closes the database. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            committer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        syncWrite.close();
        db.close();
        options.close();
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The smallest key greater than every key starting with {@code prefix}. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        byte[] longer = Arrays.copyOf(prefix, prefix.length + 1);
        longer[prefix.length] = (byte) 0xFF; // all 0xFF: a key longer than any real one
        return longer;
    }
}
