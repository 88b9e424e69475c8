package io.aviary.integration;

import io.aviary.api.integration.Health;
import io.aviary.store.internal.RocksStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Not a test (surefire does not pick it up by name): how fast an action takes records on the rule
 * worker's thread and delivers them to a sink that accepts at once, on a real RocksDB buffer store.
 * Run: mvn -o -q verify -pl bundles/integration -am -Dtest=ActionThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 */
public class ActionThroughputBenchmark {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void measure() throws Exception {
        RocksStore store = RocksStore.open(tmp.getRoot().toPath().resolve("s"), 20);
        ScheduledExecutorService exec = Executors.newScheduledThreadPool(2);
        for (int batch : new int[] {1, 100}) {
            AtomicLong got = new AtomicLong();
            ActionRuntime a = new ActionRuntime("t", "x:" + batch, ResourceOpts.of(Map.of("batch_size", (long) batch,
                    "batch_time", "5ms"), "r"), new ActionBuffer(store, "t", "x:" + batch, 256L << 20), exec,
                    new ActionRuntimeTest.TestHost());
            a.sink(records -> {
                got.addAndGet(records.size());
                return CompletableFuture.completedFuture(null);
            }, null);
            Map<String, Object> rec = Map.of("clientid", "dev-1", "topic", "sensors/1", "payload", "{\"temp\": 21.5}",
                    "qos", 1L, "timestamp", 1700000000000L);
            int n = 200_000;
            for (int i = 0; i < 20_000; i++) {
                a.offer(rec);
            }
            while (got.get() < 20_000) {
                Thread.onSpinWait();
            }
            got.set(0);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                a.offer(rec);
            }
            long offered = System.nanoTime() - t0;
            while (got.get() < n) {
                Thread.onSpinWait();
            }
            long done = System.nanoTime() - t0;
            System.out.printf("batch_size %d: offer %.2f us/record (%,.0f/s on the caller), delivered %,.0f records/s%n",
                    batch, offered / 1000.0 / n, n * 1e9 / offered, n * 1e9 / done);
            a.close();
        }
        exec.shutdownNow();
        store.close();
    }
}
