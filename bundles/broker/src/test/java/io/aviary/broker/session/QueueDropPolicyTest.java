package io.aviary.broker.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import io.aviary.broker.message.BrokerMessage;
import io.aviary.mqtt.codec.MqttProperties;
import io.netty.buffer.Unpooled;
import org.junit.Test;

/** A full session queue drops by the policy "QoS 0 first, then oldest". */
public class QueueDropPolicyTest {

    private final InMemorySessionState state = new InMemorySessionState(new SessionKey("default", "q"), 0);

    private static Delivery delivery(String topic, int qos) {
        BrokerMessage m = new BrokerMessage("default", topic, qos, false, MqttProperties.EMPTY, Unpooled.EMPTY_BUFFER,
                null, 0);
        return new Delivery(m, qos, false, null, null);
    }

    @Test
    public void fullQueueDropsItsOldestQos0MessageBeforeAnyQos1() {
        Delivery q1 = delivery("a", 1);
        Delivery q0 = delivery("b", 0);
        assertNull(state.offer(q1, 2));
        assertNull(state.offer(q0, 2));
        assertSame(q0, state.offer(delivery("c", 1), 2));
        assertEquals(2, state.queued());
    }

    @Test
    public void fullQueueOfQos1DropsANewQos0Message() {
        state.offer(delivery("a", 1), 1);
        Delivery late = delivery("b", 0);
        assertSame(late, state.offer(late, 1));
        assertEquals("a", state.poll().message().topic());
    }

    @Test
    public void fullQueueOfQos1DropsTheOldestForANewQos1Message() {
        Delivery oldest = delivery("a", 1);
        state.offer(oldest, 2);
        state.offer(delivery("b", 2), 2);
        assertSame(oldest, state.offer(delivery("c", 1), 2));
        assertEquals("b", state.poll().message().topic());
    }
}
