package io.aviary.api.message;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An application message as every seam sees it: immutable and scoped to one tenant.
 * The payload is a read-only view; the broker keeps its own reference-counted buffers
 * and hands out views, so passing a message around never copies the payload.
 *
 * @param id          broker-assigned unique id (hex), or null before the broker accepts it
 * @param publisher   client id of the publisher, or null for messages from the platform (API, rules)
 * @param timestamp   epoch milliseconds when the broker received it
 */
public record Message(
        String id,
        String tenant,
        String topic,
        ByteBuffer payload,
        int qos,
        boolean retain,
        MessageProperties properties,
        String publisher,
        long timestamp) {

    public Message {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(topic, "topic");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
        payload = payload == null ? ByteBuffer.allocate(0).asReadOnlyBuffer() : payload.asReadOnlyBuffer();
        properties = properties == null ? MessageProperties.NONE : properties;
    }

    /** A message from the platform itself (admin API, rules, bridges) with no MQTT 5 properties. */
    public static Message of(String tenant, String topic, byte[] payload, int qos, boolean retain) {
        return new Message(null, tenant, topic, ByteBuffer.wrap(payload), qos, retain,
                MessageProperties.NONE, null, System.currentTimeMillis());
    }

    /** A copy of the payload's bytes; use {@link #payload()} where a view will do. */
    public byte[] payloadBytes() {
        ByteBuffer view = payload.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    public Message withId(String newId) {
        return new Message(newId, tenant, topic, payload, qos, retain, properties, publisher, timestamp);
    }
}
