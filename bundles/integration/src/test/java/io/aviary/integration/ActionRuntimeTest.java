package io.aviary.integration;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import io.aviary.store.internal.RocksStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The action runtime on a real RocksDB store with a test sink: batching by size and time, retries
 * of retryable failures, fatal failures counted (a bad record in a batch does not take the good
 * ones with it), the buffer's bound dropping the oldest, request_ttl, and records surviving a
 * restart of the runtime.
 */
public class ActionRuntimeTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private RocksStore store;
    private ScheduledExecutorService exec;
    private final List<ActionRuntime> actions = new ArrayList<>();

    /** A sink whose answer per batch the test decides; it records what it was sent. */
    static final class TestSink implements Sink {
        final List<List<Map<String, Object>>> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile Function<List<Map<String, Object>>, Throwable> answer = b -> null;

        @Override
        public CompletionStage<Void> send(List<Map<String, Object>> records) {
            calls.incrementAndGet();
            Throwable err = answer.apply(records);
            if (err != null) {
                return CompletableFuture.failedFuture(err);
            }
            batches.add(List.copyOf(records));
            return CompletableFuture.completedFuture(null);
        }

        List<Long> delivered() {
            List<Long> out = new ArrayList<>();
            batches.forEach(b -> b.forEach(r -> out.add((Long) r.get("n"))));
            return out;
        }
    }

    /** The connector's health as the test sets it. */
    static final class TestHost implements ActionRuntime.Host {
        volatile Health health = Health.connected();
        final AtomicInteger fullAlarms = new AtomicInteger();

        @Override
        public Health connectorHealth() {
            return health;
        }

        @Override
        public void sendResult(boolean ok, String error) {
            if (ok) {
                health = Health.connected();
            }
        }

        @Override
        public void bufferFull(ActionRuntime action, int dropped) {
            fullAlarms.incrementAndGet();
        }
    }

    @Before
    public void open() throws Exception {
        store = RocksStore.open(tmp.getRoot().toPath().resolve("store"), 5);
        exec = Executors.newScheduledThreadPool(2);
    }

    @After
    public void close() {
        actions.forEach(ActionRuntime::close);
        exec.shutdownNow();
        store.close();
    }

    private ActionRuntime action(Map<String, Object> opts, TestSink sink, TestHost host) {
        ResourceOpts o = ResourceOpts.of(opts, "resource_opts");
        ActionRuntime a = new ActionRuntime("acme", "test:a1", o, new ActionBuffer(store, "acme", "test:a1",
                o.maxBufferBytes()), exec, host);
        a.load();
        a.sink(sink, null);
        actions.add(a);
        return a;
    }

    /** Waits until everything written so far is durable, as a store close would. */
    private void awaitStoreSynced() {
        java.util.concurrent.CountDownLatch synced = new java.util.concurrent.CountDownLatch(1);
        store.whenDurable(store.put("zz".getBytes(), new byte[0]), synced::countDown);
        await().atMost(Duration.ofSeconds(5)).until(() -> synced.getCount() == 0);
    }

    private static Map<String, Object> rec(long n) {
        return Map.of("n", n, "payload", "x".repeat(40));
    }

    private static long metric(ActionRuntime a, String name) {
        return ((Number) a.metricsSnapshot().get(name)).longValue();
    }

    @Test
    public void recordsAreSentInBatchesOfBatchSizeAndAPartialBatchGoesAfterBatchTime() {
        TestSink sink = new TestSink();
        ActionRuntime a = action(Map.of("batch_size", 10L, "batch_time", "300ms", "inflight_window", 1L), sink,
                new TestHost());
        for (long i = 0; i < 25; i++) {
            a.offer(rec(i));
        }
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.delivered().size() == 25);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("delivered " + sink.delivered() + " batches " + sink.batches.size() + " metrics "
                    + a.metricsSnapshot(), e);
        }
        assertTrue("full batches of 10: " + sink.batches.size(), sink.batches.stream().allMatch(b -> b.size() <= 10));
        assertEquals("the last 5 went once batch_time passed", 5, sink.batches.get(sink.batches.size() - 1).size());
        assertEquals(25, metric(a, "success"));
        assertEquals(25, metric(a, "matched"));
        assertEquals(0, metric(a, "queuing"));
    }

    @Test
    public void aRetryableFailureIsRetriedWithBackoffUntilTheSystemAcceptsIt() {
        TestSink sink = new TestSink();
        AtomicInteger failures = new AtomicInteger(3);
        sink.answer = b -> failures.getAndDecrement() > 0 ? SinkException.retryable("Connection refused", null) : null;
        ActionRuntime a = action(Map.of(), sink, new TestHost());
        a.offer(rec(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(a, "success") == 1);
        assertEquals(3, metric(a, "retried"));
        assertEquals(0, metric(a, "failed"));
        assertEquals(4, sink.calls.get());
        assertEquals(List.of(1L), sink.delivered());
    }

    @Test
    public void anyOtherExceptionCountsAsRetryable() {
        TestSink sink = new TestSink();
        AtomicInteger failures = new AtomicInteger(1);
        sink.answer = b -> failures.getAndDecrement() > 0 ? new IllegalStateException("socket closed") : null;
        ActionRuntime a = action(Map.of(), sink, new TestHost());
        a.offer(rec(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(a, "success") == 1);
        assertEquals(1, metric(a, "retried"));
    }

    @Test
    public void aFatalFailureInABatchIsCountedForTheBadRecordOnlyAndNotRetried() {
        TestSink sink = new TestSink();
        sink.answer = b -> b.stream().anyMatch(r -> r.get("n").equals(2L))
                ? SinkException.fatal("duplicate key value violates unique constraint", null) : null;
        ActionRuntime a = action(Map.of("batch_size", 5L, "batch_time", "200ms"), sink, new TestHost());
        for (long i = 1; i <= 3; i++) {
            a.offer(rec(i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(a, "success") + metric(a, "failed") == 3);
        assertEquals(2, metric(a, "success"));
        assertEquals(1, metric(a, "failed"));
        assertEquals(0, metric(a, "retried"));
        assertEquals("duplicate key value violates unique constraint", a.metricsSnapshot().get("last_error"));
        assertTrue(sink.delivered().containsAll(List.of(1L, 3L)));
    }

    @Test
    public void aFullBufferDropsTheOldestRecordsCountsThemAndRaisesTheAlarm() {
        TestSink sink = new TestSink();
        sink.answer = b -> SinkException.retryable("down", null);
        TestHost host = new TestHost();
        host.health = Health.disconnected("Connection refused");
        ActionRuntime a = action(Map.of("max_buffer_bytes", "4KB", "request_ttl", "infinity"), sink, host);
        for (long i = 0; i < 200; i++) {
            a.offer(rec(i));
        }
        long dropped = metric(a, "dropped.queue_full");
        assertTrue("dropped " + dropped, dropped > 100);
        assertEquals(dropped, metric(a, "dropped"));
        assertTrue(host.fullAlarms.get() > 0);
        sink.answer = b -> null;
        await().atMost(Duration.ofSeconds(15)).until(() -> metric(a, "queuing") == 0 && metric(a, "inflight") == 0);
        List<Long> got = sink.delivered();
        assertTrue("the newest record was kept: " + got, got.contains(199L));
        assertTrue("the oldest unsent ones were dropped: " + got, !got.contains(50L));
        assertEquals(200, got.size() + dropped);
    }

    @Test
    public void recordsOlderThanRequestTtlAreDroppedAsExpired() {
        TestSink sink = new TestSink();
        sink.answer = b -> SinkException.retryable("down", null);
        ActionRuntime a = action(Map.of("request_ttl", "300ms"), sink, new TestHost());
        a.offer(rec(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(a, "dropped.expired") == 1);
        assertEquals(0, metric(a, "success"));
        assertEquals(0, metric(a, "inflight"));
    }

    @Test
    public void bufferedRecordsSurviveARestartAndAreSentAfterIt() {
        TestSink down = new TestSink();
        down.answer = b -> SinkException.retryable("down", null);
        TestHost host = new TestHost();
        host.health = Health.disconnected("Connection refused");
        ActionRuntime before = action(Map.of("request_ttl", "infinity", "batch_size", 4L), down, host);
        for (long i = 0; i < 30; i++) {
            before.offer(rec(i));
        }
        before.close();
        actions.remove(before);
        awaitStoreSynced();
        TestSink up = new TestSink();
        ActionRuntime after = action(Map.of("request_ttl", "infinity", "batch_size", 4L), up, new TestHost());
        await().atMost(Duration.ofSeconds(10)).until(() -> up.delivered().size() == 30);
        assertEquals(30, new java.util.HashSet<>(up.delivered()).size());
        assertEquals(0, metric(after, "queuing"));
    }

    /** A sink that holds every batch until it is closed, then fails them as a closing pool does. */
    static final class ClosingSink implements Sink {
        final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> send(List<Map<String, Object>> records) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        @Override
        public void close() {
            pending.forEach(f -> f.completeExceptionally(SinkException.fatal("HikariDataSource has been closed", null)));
        }
    }

    /** Gives the action a {@link ClosingSink} and one record, and waits until that record is out on it. */
    private static void batchOutOnAClosingSink(ActionRuntime a, long n) {
        ClosingSink closing = new ClosingSink();
        a.sink(closing, null);
        a.offer(rec(n));
        await().atMost(Duration.ofSeconds(5)).until(() -> closing.pending.size() == 1);
    }

    @Test
    public void aBatchFailedByItsSinkClosingIsResentThroughTheNextSinkNotCountedFailed() {
        ActionRuntime a = action(Map.of("request_ttl", "infinity"), new TestSink(), new TestHost());
        batchOutOnAClosingSink(a, 7);
        a.sink(null, "the connector is stopped"); // closes the old sink, which fails the batch
        assertEquals(0, metric(a, "failed"));
        TestSink next = new TestSink();
        a.sink(next, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> next.delivered().equals(List.of(7L)));
        assertEquals(0, metric(a, "failed"));
        assertEquals(1, metric(a, "success"));
    }

    @Test
    public void aBatchOutWhenTheActionStopsStaysInTheStoreForTheNextStart() {
        ActionRuntime before = action(Map.of("request_ttl", "infinity"), new TestSink(), new TestHost());
        batchOutOnAClosingSink(before, 9);
        before.close(); // as at shutdown: the sink closes and fails what it had
        actions.remove(before);
        assertEquals(0, metric(before, "failed"));
        awaitStoreSynced();
        TestSink up = new TestSink();
        action(Map.of("request_ttl", "infinity"), up, new TestHost());
        await().atMost(Duration.ofSeconds(10)).until(() -> up.delivered().equals(List.of(9L)));
    }

    @Test
    public void aBacklogLargerThanTheHeapWindowIsReadBackFromDiskInOrder() {
        TestSink sink = new TestSink();
        TestHost host = new TestHost();
        host.health = Health.disconnected("Connection refused");
        sink.answer = b -> SinkException.retryable("down", null);
        ActionRuntime a = action(Map.of("batch_size", 100L, "request_ttl", "infinity"), sink, host);
        int n = 60_000; // more than the 20 000 records kept on the heap
        for (long i = 0; i < n; i++) {
            a.offer(Map.of("n", i));
        }
        sink.answer = b -> null;
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.delivered().size() == n);
        List<Long> got = sink.delivered();
        assertEquals(n, new java.util.HashSet<>(got).size());
    }

    @Test
    public void backoffGrowsExponentiallyUpToItsCapWithJitter() {
        for (int attempt = 1; attempt < 30; attempt++) {
            long cap = Math.min(ActionRuntime.BACKOFF_MAX_MS, ActionRuntime.BACKOFF_START_MS << Math.min(20, attempt - 1));
            long d = ActionRuntime.backoff(attempt);
            assertTrue(attempt + ": " + d, d >= cap / 2 && d <= cap);
        }
    }
}
