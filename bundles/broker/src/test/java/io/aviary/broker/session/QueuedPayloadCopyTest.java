package io.aviary.broker.session;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;

import io.aviary.api.client.ClientInfo;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.mqtt.codec.MqttProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.Test;

/**
 * A message waiting in a session queue does not keep its publisher's whole read buffer alive:
 * a small payload that is a slice of a larger buffer is copied into a right-sized buffer of its
 * own when it is queued, and the read buffer's reference is given back.
 */
public class QueuedPayloadCopyTest {

    private final InMemorySessionState queue = new InMemorySessionState(new SessionKey("default", "slow"), 0);
    private final Session session = new Session(queue,
            new ClientInfo("default", "slow", null, null, "test", 5, "test", null, null, Map.of()));

    /** A 64 KB "read buffer" holding one 200-byte payload, sliced as the decoder does. */
    private static BrokerMessage sliceOfReadBuffer(ByteBuf readBuffer, int size, int qos) {
        readBuffer.writeZero(16);
        byte[] body = "p".repeat(size).getBytes(StandardCharsets.US_ASCII);
        readBuffer.writeBytes(body);
        readBuffer.skipBytes(16);
        ByteBuf payload = readBuffer.readRetainedSlice(size);
        return new BrokerMessage("default", "t", qos, false, MqttProperties.EMPTY, payload, null, 0);
    }

    @Test
    public void queuedSmallPayloadNoLongerHoldsTheReadBuffer() {
        ByteBuf readBuffer = PooledByteBufAllocator.DEFAULT.directBuffer(65536);
        BrokerMessage m = sliceOfReadBuffer(readBuffer, 200, 1);
        readBuffer.release(); // the decoder is done with it: only the message's slice holds it now
        assertEquals(1, readBuffer.refCnt());

        assertEquals(Session.QUEUED, session.enqueue(new Delivery(m, 1, false, null, null), 10, true));

        assertEquals("the read buffer went back to the pool", 0, readBuffer.refCnt());
        Delivery queued = queue.poll();
        ByteBuf own = queued.message().payload();
        assertEquals(200, own.capacity());
        assertEquals("p".repeat(200), own.toString(StandardCharsets.US_ASCII));
        assertEquals(1, own.refCnt());
    }

    @Test
    public void payloadAboveTheThresholdIsQueuedWithoutACopy() {
        ByteBuf readBuffer = PooledByteBufAllocator.DEFAULT.directBuffer(65536);
        BrokerMessage m = sliceOfReadBuffer(readBuffer, BrokerMessage.COMPACT_MAX_BYTES + 1, 1);
        readBuffer.release();

        assertEquals(Session.QUEUED, session.enqueue(new Delivery(m, 1, false, null, null), 10, true));

        assertSame(m, queue.poll().message());
        assertEquals(1, readBuffer.refCnt());
        m.release();
    }

    @Test
    public void droppedDeliveryLeavesTheCallersReferenceAlone() {
        session.enqueue(new Delivery(new BrokerMessage("default", "t", 1, false, MqttProperties.EMPTY,
                io.netty.buffer.Unpooled.buffer(1).writeByte(1), null, 0), 1, false, null, null), 1, true);
        ByteBuf readBuffer = PooledByteBufAllocator.DEFAULT.directBuffer(65536);
        BrokerMessage late = sliceOfReadBuffer(readBuffer, 100, 0);
        readBuffer.release();
        Delivery d = new Delivery(late, 0, false, null, null);

        assertEquals(Session.DROPPED, session.enqueue(d, 1, true));

        assertEquals("the caller still owns its reference and releases it", 1, late.refCnt());
        assertNotSame(late, queue.poll().message());
        late.release();
        assertEquals(0, readBuffer.refCnt());
    }
}
