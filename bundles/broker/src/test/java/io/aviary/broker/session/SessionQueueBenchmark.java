package io.aviary.broker.session;

import io.aviary.api.client.ClientInfo;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.mqtt.codec.MqttProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A session's QoS 1 delivery bookkeeping in memory mode ({@link Session} over
 * {@link InMemorySessionState}), the per-subscriber part of every QoS 1 message (issue #12).
 * The reference counting mirrors the broker's: the router's reference goes to the queue or is
 * released after the write, the inflight slot holds one of its own until the PUBACK.
 * <ul>
 *   <li>{@code admitAndAck}: the window has room: admit (packet id, inflight slot) then PUBACK;</li>
 *   <li>{@code backloggedAdmitAckDrain}: a slow subscriber, window (32) full and 100 queued: each
 *       message is queued, one PUBACK frees a slot and the drain moves the oldest queued one in;</li>
 *   <li>{@code offlineQueueThenReconnect}: 1,000 messages queued while offline, then the client
 *       reconnects and they are drained through the window and acknowledged (score per message).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SessionQueueBenchmark {

    static final int WINDOW = 32;
    static final int MAX_QUEUE = 1000;
    static final int BACKLOG = 100;
    static final int OFFLINE = 1000;

    /** The connection side: the benchmark itself plays the writer, so these do nothing. */
    static final class IdleConnection implements Connection {
        private final ClientInfo client;

        IdleConnection(ClientInfo client) {
            this.client = client;
        }

        @Override public ClientInfo client() { return client; }
        @Override public void send(Delivery delivery) { }
        @Override public void wake() { }
        @Override public void disconnect(int reasonCode, String reason) { }
    }

    private final ClientInfo client = new ClientInfo("default", "sub", null, null, "mqtt", 4, "tcp:default", null, null, Map.of());
    private final Connection connection = new IdleConnection(client);
    private Session session;
    private BrokerMessage message;
    /** Packet ids in flight, oldest first (the order a client acknowledges them); no boxing, so the
     * allocation measured is the session's, plus the one Delivery per message the router makes. */
    private final IdRing inflight = new IdRing();

    /** A FIFO of ints, sized for the window plus a drain's worth. */
    static final class IdRing {
        private final int[] ids = new int[4096];
        private int head;
        private int tail;

        void add(int id) {
            ids[tail++ & 4095] = id;
        }

        /** The oldest id, or 0 when empty. */
        int poll() {
            return head == tail ? 0 : ids[head++ & 4095];
        }

        boolean isEmpty() {
            return head == tail;
        }

        void clear() {
            head = tail = 0;
        }
    }

    @Setup(Level.Iteration)
    public void setUp() {
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.directBuffer(64, 64).writeZero(64);
        message = new BrokerMessage("default", "site/1/dev/d1/telemetry", 1, false, MqttProperties.EMPTY, payload, client, 0);
        session = new Session(new InMemorySessionState(new SessionKey("default", "sub"), 0), client);
        session.attach(connection, client, false, 60, 0);
        inflight.clear();
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        int id;
        while ((id = inflight.poll()) != 0) {
            ack(id);
        }
        Delivery d;
        while ((d = session.state().poll()) != null) {
            d.message().release();
        }
        if (message.refCnt() != 1) {
            throw new IllegalStateException("reference count " + message.refCnt() + ": the benchmark leaks or over-releases");
        }
        message.release();
    }

    /** The router's copy for this subscriber: one more reference to the shared message. */
    private Delivery delivery() {
        return new Delivery(message.retain(), 1, false, null, null);
    }

    private void ack(int packetId) {
        InflightEntry e = session.complete(packetId, false);
        e.delivery().message().release(); // the inflight slot's reference
    }

    /** Admits as the connection does: written at once (the write's reference is released), or queued. */
    private int admit() {
        int id = session.admit(delivery(), WINDOW, MAX_QUEUE, connection);
        if (id > 0) {
            message.release(); // written
            inflight.add(id);
        } else if (id != Session.QUEUED) {
            throw new IllegalStateException("admit returned " + id);
        }
        return id;
    }

    private void drain(long now) {
        List<Session.Admitted> out = session.drain(WINDOW, now, connection);
        for (Session.Admitted a : out) {
            a.delivery().message().release(); // written
            inflight.add(a.packetId());
        }
    }

    @Benchmark
    public int admitAndAck() {
        int id = admit();
        ack(inflight.poll());
        return id;
    }

    @State(Scope.Thread)
    public static class Backlog {
        @Setup(Level.Iteration)
        public void fill(SessionQueueBenchmark b) {
            for (int i = 0; i < WINDOW + BACKLOG; i++) {
                b.admit();
            }
            if (b.session.inflightCount() != WINDOW || b.session.queuedCount() != BACKLOG) {
                throw new IllegalStateException("backlog not set up");
            }
        }
    }

    @Benchmark
    public int backloggedAdmitAckDrain(Backlog backlog) {
        int r = admit(); // queued behind the backlog
        ack(inflight.poll());
        drain(0);
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(OFFLINE)
    public int offlineQueueThenReconnect() {
        session.detach(connection, 0);
        for (int i = 0; i < OFFLINE; i++) {
            if (session.offerOffline(delivery(), MAX_QUEUE, false) != Session.QUEUED) {
                throw new IllegalStateException("not queued");
            }
        }
        session.attach(connection, client, false, 60, 0);
        int acked = 0;
        while (session.queuedCount() > 0 || !inflight.isEmpty()) {
            drain(0);
            int id;
            while ((id = inflight.poll()) != 0) {
                ack(id);
                acked++;
            }
        }
        return acked;
    }
}
