package io.aviary.broker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.events.EventDispatcher;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.session.Connection;
import io.aviary.broker.session.Delivery;
import io.aviary.broker.session.Session;
import io.aviary.broker.topic.Subscription;
import io.aviary.broker.topic.TopicFilter;
import io.aviary.mqtt.codec.MqttProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.After;
import org.junit.Test;

/** The transport-free core: routing fan-out shares one payload and every holder's reference is returned. */
public class BrokerCoreTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final BrokerCore core = new BrokerCore(BrokerSettings.defaults(), new EventDispatcher(), timer);

    @After
    public void stop() {
        core.shutdown();
        timer.shutdownNow();
    }

    /** A connection that records deliveries and releases them, as a channel write would. */
    private static final class Recorder implements Connection {
        final List<Delivery> got = new ArrayList<>();
        final ClientInfo client;

        Recorder(String id) {
            client = new ClientInfo("default", id, null, null, "test", 5, "test", null, null, Map.of());
        }

        @Override public ClientInfo client() { return client; }
        @Override public void send(Delivery d) { got.add(d); d.message().release(); }
        @Override public void disconnect(int reasonCode, String reason) { }
        @Override public void wake() { }
    }

    private Session connect(Recorder r, long expiry) {
        return core.open(r.client, true, 60, expiry, r).session();
    }

    private static BrokerMessage message(ByteBuf payload, boolean retain) {
        return new BrokerMessage("default", "a/b", 1, retain, MqttProperties.EMPTY, payload, null,
                System.currentTimeMillis());
    }

    @Test
    public void fanOutSharesThePayloadAndReturnsEveryReference() {
        List<Recorder> subs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Recorder r = new Recorder("s" + i);
            core.subscribe(connect(r, 0), TopicFilter.parse(i % 2 == 0 ? "a/+" : "a/#"), SubscriptionOptions.qos(1),
                    new boolean[1]);
            subs.add(r);
        }
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {1, 2, 3});
        BrokerMessage m = message(payload, false);
        assertEquals(5, core.publish(m));
        for (Recorder r : subs) {
            assertEquals(1, r.got.size());
            assertTrue(r.got.get(0).message().payload() == payload);
        }
        assertTrue(m.release());
        assertEquals(0, payload.refCnt());
    }

    @Test
    public void retainedStoreHoldsOneReferenceUntilCleared() {
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {9});
        BrokerMessage m = message(payload, true);
        core.publish(m);
        m.release();
        assertEquals(1, payload.refCnt());
        core.retained().clear();
        assertEquals(0, payload.refCnt());
    }

    @Test
    public void offlineQueueReleasesItsMessagesWhenTheSessionEnds() {
        Recorder r = new Recorder("offline");
        Session s = connect(r, 60);
        core.subscribe(s, TopicFilter.parse("a/b"), SubscriptionOptions.qos(1), new boolean[1]);
        core.closed(s, r, false);
        // right-sized, so the queue keeps this buffer (a small slice of a larger one would be copied)
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.buffer(1, 1).writeBytes(new byte[] {7});
        BrokerMessage m = message(payload, false);
        core.publish(m);
        m.release();
        assertEquals(1, s.queuedCount());
        assertEquals(1, payload.refCnt());
        core.endSession(s);
        assertEquals(0, payload.refCnt());
    }

    @Test
    public void sharedMessageRoutedToAMemberWhoseSessionEndedBeforeItArrivedGoesToAnotherMember() {
        Recorder leaving = new Recorder("leaving");
        Recorder staying = new Recorder("staying");
        Session a = connect(leaving, 0);
        Session b = connect(staying, 0);
        core.subscribe(a, TopicFilter.parse("$share/g/a/b"), SubscriptionOptions.qos(1), new boolean[1]);
        core.subscribe(b, TopicFilter.parse("$share/g/a/b"), SubscriptionOptions.qos(1), new boolean[1]);
        Subscription chosen = a.subscription("$share/g/a/b");
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {5});
        BrokerMessage m = message(payload, false);
        // the router picked `a` while it was connected; its session ends before the delivery reaches it
        core.closed(a, leaving, false);
        core.deliver(a, new Delivery(m.retain(), 1, false, null, chosen));
        assertEquals(0, leaving.got.size());
        assertEquals(1, staying.got.size());
        assertTrue(staying.got.get(0).message().payload() == payload);
        m.release();
        assertEquals(0, payload.refCnt());
    }

    @Test
    public void sharedMessageQueuedForAnOfflineMemberGoesToAnotherMemberWhenItsSessionEnds() {
        Recorder leaving = new Recorder("gone");
        Recorder staying = new Recorder("here");
        Session a = connect(leaving, 60);
        core.subscribe(a, TopicFilter.parse("$share/g/a/b"), SubscriptionOptions.qos(1), new boolean[1]);
        core.closed(a, leaving, false);
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {6});
        BrokerMessage m = message(payload, false);
        core.publish(m); // no member online: queued for the offline one
        m.release();
        assertEquals(1, a.queuedCount());
        core.subscribe(connect(staying, 0), TopicFilter.parse("$share/g/a/b"), SubscriptionOptions.qos(1),
                new boolean[1]);
        core.endSession(a);
        assertEquals(1, staying.got.size());
        assertEquals(0, payload.refCnt());
    }
}
