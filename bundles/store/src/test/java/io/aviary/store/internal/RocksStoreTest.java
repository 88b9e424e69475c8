package io.aviary.store.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RocksStoreTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void writesAcknowledgedDurableAreReadBackAfterReopen() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("store");
        CountDownLatch synced = new CountDownLatch(1);
        try (RocksStore s = RocksStore.open(dir, 5)) {
            s.put(b("t1/a"), b("1"));
            s.put(b("t1/b"), b("2"));
            s.put(b("t2/a"), b("3"));
            long t = s.delete(b("t1/a"));
            s.whenDurable(t, synced::countDown);
            assertTrue(synced.await(5, TimeUnit.SECONDS));
        }
        try (RocksStore s = RocksStore.open(dir, 5)) {
            List<String> seen = new ArrayList<>();
            s.scan(b("t1/"), (k, v) -> seen.add(new String(k, StandardCharsets.UTF_8) + "=" + new String(v, StandardCharsets.UTF_8)));
            assertEquals(List.of("t1/b=2"), seen);
        }
    }

    @Test
    public void deletePrefixRemovesOneTenantOnly() throws Exception {
        try (RocksStore s = RocksStore.open(tmp.getRoot().toPath().resolve("s"), 1)) {
            s.put(b("t1/a"), b("1"));
            s.put(b("t2/a"), b("2"));
            long t = s.deletePrefix(b("t1/"));
            CountDownLatch done = new CountDownLatch(1);
            s.whenDurable(t, done::countDown);
            assertTrue(done.await(5, TimeUnit.SECONDS));
            List<byte[]> keys = new ArrayList<>();
            s.scan(b("t"), (k, v) -> keys.add(k));
            assertEquals(1, keys.size());
            assertArrayEquals(b("t2/a"), keys.get(0));
        }
    }

    @Test
    public void actionsAfterCommitRunInTheOrderGiven() throws Exception {
        try (RocksStore s = RocksStore.open(tmp.getRoot().toPath().resolve("s"), 2)) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(1000);
            for (int i = 0; i < 1000; i++) {
                long t = i % 3 == 0 ? s.put(b("k" + i), b("v")) : 0;
                int n = i;
                s.whenDurable(t, () -> {
                    order.add(n);
                    all.countDown();
                });
            }
            assertTrue(all.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, (int) order.get(i));
            }
        }
    }

    @Test
    public void aWriteSomeoneWaitsForIsSyncedAtOnceNotAfterTheWindow() throws Exception {
        // a 60 s window: 20 sequential write-then-wait rounds still finish in seconds, one fsync each
        try (RocksStore s = RocksStore.open(tmp.getRoot().toPath().resolve("s"), 60_000)) {
            for (int i = 0; i < 20; i++) {
                CountDownLatch done = new CountDownLatch(1);
                s.whenDurable(s.put(b("k" + i), b("v")), done::countDown);
                assertTrue("round " + i, done.await(5, TimeUnit.SECONDS));
            }
            assertEquals(20, s.syncCount());
        }
    }

    @Test
    public void aWriteNobodyWaitsForRidesWithTheNextSyncOrAfterTheWindow() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("s");
        try (RocksStore s = RocksStore.open(dir, 300)) {
            long begin = System.nanoTime();
            s.put(b("lonely"), b("1"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> s.syncCount() == 1);
            assertTrue(System.nanoTime() - begin >= TimeUnit.MILLISECONDS.toNanos(300));
            // an unwaited write and a waited one right after it share one fsync
            s.put(b("ack-delete"), b("2"));
            CountDownLatch done = new CountDownLatch(1);
            s.whenDurable(s.put(b("publish"), b("3")), done::countDown);
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(2, s.syncCount());
        }
    }

    @Test
    public void writesArrivingDuringASyncShareTheNextOne() throws Exception {
        try (RocksStore s = RocksStore.open(tmp.getRoot().toPath().resolve("s"), 0)) {
            int writers = 4;
            int each = 500;
            CountDownLatch all = new CountDownLatch(writers * each);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        s.whenDurable(s.put(b("w" + id + "/" + i), new byte[64]), all::countDown);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(all.await(30, TimeUnit.SECONDS));
            long syncs = s.syncCount();
            assertTrue("2000 writes took " + syncs + " fsyncs", syncs < writers * each / 4);
            List<byte[]> keys = new ArrayList<>();
            s.scan(b("w"), (k, v) -> keys.add(k));
            assertEquals(writers * each, keys.size());
        }
    }

    @Test
    public void aFolderThatIsNotAStoreIsRefusedAndLeftAlone() throws Exception {
        Path dir = tmp.newFolder("notastore").toPath();
        Files.writeString(dir.resolve("precious.txt"), "keep me");
        StoreUnusableException e = assertThrows(StoreUnusableException.class, () -> RocksStore.open(dir, 5));
        assertTrue(e.getMessage(), e.getMessage().contains("Nothing was deleted"));
        assertEquals("keep me", Files.readString(dir.resolve("precious.txt")));
    }

    @Test
    public void aCorruptedStoreIsRefusedAtOpen() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("store");
        try (RocksStore s = RocksStore.open(dir, 5)) {
            for (int i = 0; i < 100; i++) {
                s.put(b("t/" + i), new byte[1000]);
            }
            CountDownLatch done = new CountDownLatch(1);
            s.whenDurable(100, done::countDown);
            assertTrue(done.await(5, TimeUnit.SECONDS));
            s.compact(); // flushes into an SST file
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sst")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (int i = 100; i < Math.min(bytes.length, 2000); i++) {
                    bytes[i] ^= 0x5A;
                }
                Files.write(f, bytes);
            }
        }
        StoreUnusableException e = assertThrows(StoreUnusableException.class, () -> RocksStore.open(dir, 5));
        assertTrue(e.getMessage(), e.getMessage().contains("cannot be used"));
    }
}
