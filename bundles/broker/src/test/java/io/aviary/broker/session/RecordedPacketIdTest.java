package io.aviary.broker.session;

import static org.junit.Assert.assertEquals;

import io.aviary.api.client.ClientInfo;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.store.internal.RocksStore;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A stored delivery sent under another packet id than its record number gives (its own was in
 * flight) keeps that id across a restart, so a QoS 2 message the client already holds is
 * re-sent, or released, under the id the client knows.
 */
public class RecordedPacketIdTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private RocksStore store;

    @After
    public void close() {
        if (store != null) {
            store.close();
        }
    }

    private DurableSessionStore open() {
        store = RocksStore.open(tmp.getRoot().toPath().resolve("store"), 1);
        return new DurableSessionStore(store, 0, 0);
    }

    private static Delivery delivery(String topic) {
        BrokerMessage m = new BrokerMessage("default", topic, 2, false, MqttProperties.EMPTY,
                Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), null, 0);
        return new Delivery(m, 2, false, null, null);
    }

    private DurableSessionState restart() {
        store.close();
        DurableSessionStore sessions = open();
        return sessions.load().sessions().get(0).state();
    }

    @Test
    public void aRecordedPacketIdIsKeptAcrossARestartForQueuedAndReleasedMessages() {
        DurableSessionStore sessions = open();
        SessionKey key = new SessionKey("default", "dev");
        DurableSessionState state = (DurableSessionState) sessions.create(key, System.currentTimeMillis(), true);
        state.saveSession(new StoreRecords.SessionRecord(state.createdAt(), 3600, 0,
                new ClientInfo("default", "dev", null, null, "mqtt", 5, "tcp:default", null, null, null), null));
        Delivery queued = state.persist(delivery("a"));
        Delivery released = state.persist(delivery("b"));
        Delivery plain = state.persist(delivery("c"));
        state.recordPacketId(queued.seq(), 4242);
        state.recordPacketId(released.seq(), 4243);
        state.markReceived(new InflightEntry(4243, released));
        assertEquals(4242, state.packetIdFor(queued.seq()));

        DurableSessionState after = restart();
        assertEquals(4242, after.packetIdFor(queued.seq()));
        assertEquals("PUBREL goes out under the id the client saw", 4243,
                after.inflight(4243) == null ? -1 : after.inflight(4243).packetId());
        assertEquals(Session.packetIdFor(plain.seq()), after.packetIdFor(plain.seq()));

        after.forget(queued.seq());
        DurableSessionState again = restart();
        assertEquals("the record goes with its message", Session.packetIdFor(queued.seq()),
                again.packetIdFor(queued.seq()));
    }
}
