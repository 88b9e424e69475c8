package io.aviary.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Why the store is RocksDB: RocksDB against H2 MVStore on what the broker does to it, session-
 * sized records (512 bytes) put, read and deleted, and batches of 64 records written with an
 * fsync (one group commit). Not a test; run with bench/store-bench.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class StoreBenchmark {

    static final int RECORD = 512;
    static final int BATCH = 64;

    @Param({"rocksdb", "mvstore"})
    public String engine;

    private Path dir;
    private RocksStore rocks;
    private RocksDB db;
    private WriteOptions sync;
    private MVStore mv;
    private MVMap<byte[], byte[]> map;
    private final byte[] value = new byte[RECORD];
    private long next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("store-bench");
        ThreadLocalRandom.current().nextBytes(value);
        if (engine.equals("rocksdb")) {
            rocks = RocksStore.open(dir.resolve("rocks"), 5);
            db = rocksDb(rocks);
            sync = new WriteOptions().setSync(true);
        } else {
            mv = new MVStore.Builder().fileName(dir.resolve("mv.db").toString()).autoCommitDisabled().open();
            map = mv.openMap("records");
        }
    }

    private static RocksDB rocksDb(RocksStore s) {
        try {
            var f = RocksStore.class.getDeclaredField("db");
            f.setAccessible(true);
            return (RocksDB) f.get(s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (rocks != null) {
            sync.close();
            rocks.close();
        } else {
            mv.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private byte[] key(long n) {
        byte[] k = new byte[24];
        System.arraycopy("default\u0000q\u0000client-1\u0000".getBytes(), 0, k, 0, 16);
        for (int i = 0; i < 8; i++) {
            k[16 + i] = (byte) (n >>> (56 - 8 * i));
        }
        return k;
    }

    /** A queued message's life without waiting for the disk: stored, read back, deleted. */
    @Benchmark
    public byte[] putGetDelete() throws RocksDBException {
        byte[] k = key(next++);
        if (db != null) {
            db.put(k, value);
            byte[] v = db.get(k);
            db.delete(k);
            return v;
        }
        map.put(k, value);
        byte[] v = map.get(k);
        map.remove(k);
        return v;
    }

    /** One group commit: 64 records written and synced to disk. Score x 64 = records/s. */
    @Benchmark
    public void batchOf64WithSync() throws RocksDBException {
        if (db != null) {
            try (WriteBatch b = new WriteBatch()) {
                for (int i = 0; i < BATCH; i++) {
                    b.put(key(next++), value);
                }
                db.write(sync, b);
            }
            return;
        }
        for (int i = 0; i < BATCH; i++) {
            map.put(key(next++), value);
        }
        mv.commit();
        mv.sync();
    }
}
