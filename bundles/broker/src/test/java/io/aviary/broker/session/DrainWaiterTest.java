package io.aviary.broker.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.client.ClientInfo;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.mqtt.codec.MqttProperties;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/**
 * A publisher paused for a backlogged subscriber resumes only once the backlog publishers see
 * (queued plus in transit to the subscriber's event loop) is short. While that loop is busy the
 * deliveries pile up in transit with the queue itself empty; resuming on the queue alone let
 * publishers run unchecked and overflow the queue the moment the loop took them up (the soak's
 * lost acknowledged messages).
 */
public class DrainWaiterTest {

    private final InMemorySessionState state = new InMemorySessionState(new SessionKey("default", "sub"), 0);
    private final ClientInfo info = new ClientInfo("default", "sub", null, null, "test", 5, "test", null, null, Map.of());
    private final Session session = new Session(state, info);
    private final Connection connection = new Connection() {
        @Override public ClientInfo client() { return info; }
        @Override public void send(Delivery delivery) { }
        @Override public void wake() { }
        @Override public void disconnect(int reasonCode, String reason) { }
    };

    private static Delivery delivery(int qos) {
        return new Delivery(new BrokerMessage("default", "t", qos, false, MqttProperties.EMPTY, Unpooled.EMPTY_BUFFER,
                null, 0), qos, false, null, null);
    }

    @Test
    public void aPausedPublisherWaitsWhileDeliveriesAreInTransitEvenWithAnEmptyQueue() {
        session.attach(connection, info, true, 60, System.currentTimeMillis());
        session.inTransit(200); // handed to the subscriber's busy event loop, not yet queued
        AtomicInteger resumed = new AtomicInteger();

        session.whenDrained(50, resumed::incrementAndGet);
        assertEquals("200 on their way to a 1 000-message queue: not drained", 0, resumed.get());
        assertTrue(session.backlogged(100, 5_000_000_000L, System.nanoTime()));

        // the loop takes them up: one window's worth goes out, the rest is queued
        for (int i = 0; i < 200; i++) {
            session.inTransit(-1);
            session.admit(delivery(1), 10, 1_000, connection);
        }
        assertEquals(190, state.queued());
        session.drain(10, System.currentTimeMillis(), connection);
        assertEquals("still backlogged", 0, resumed.get());

        // the client acknowledges and its queue drains below the mark
        List<Integer> ids = new java.util.ArrayList<>();
        for (int round = 0; round < 20 && resumed.get() == 0; round++) {
            ids.clear();
            state.inflight().forEach(e -> ids.add(e.packetId()));
            ids.forEach(id -> session.complete(id, false));
            session.drain(10, System.currentTimeMillis(), connection);
        }
        assertEquals("resumed once the backlog was short", 1, resumed.get());
        assertTrue(state.queued() < 50);
    }

    @Test
    public void withNothingQueuedOrInTransitThePublisherResumesAtOnce() {
        session.attach(connection, info, true, 60, System.currentTimeMillis());
        AtomicInteger resumed = new AtomicInteger();
        session.whenDrained(50, resumed::incrementAndGet);
        assertEquals(1, resumed.get());
    }
}
