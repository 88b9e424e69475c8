package io.aviary.broker.message;

import io.aviary.api.client.ClientInfo;
import io.aviary.api.message.Message;
import io.aviary.api.message.MessageProperties;
import io.aviary.api.message.UserProperty;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.PropertyId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application message inside the broker: immutable, shared by every subscriber it fans out
 * to, and holding its payload as a reference-counted buffer that is never copied. Each holder
 * (a queue entry, an inflight slot, the retained store, a write in flight) owns one reference:
 * {@link #retain()} when storing, {@link #release()} when done.
 *
 * <p>{@code properties} are the ones forwarded to subscribers: the publisher's Topic Alias and
 * Subscription Identifiers are already stripped; Message Expiry is kept as an absolute time.
 */
public final class BrokerMessage implements ReferenceCounted {

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() << 20);

    private final String tenant;
    private final String topic;
    private final int qos;
    private final boolean retain;
    private final MqttProperties properties;
    private final ByteBuf payload;
    private final ClientInfo publisher;
    private final long timestamp;
    /** Epoch ms when the message expires, 0 = never. */
    private final long expiresAt;
    private volatile String id;

    public BrokerMessage(String tenant, String topic, int qos, boolean retain, MqttProperties properties,
                         ByteBuf payload, ClientInfo publisher, long timestamp) {
        this.tenant = tenant;
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.payload = payload;
        this.publisher = publisher;
        this.timestamp = timestamp;
        this.properties = forwardable(properties);
        Long expiry = properties.messageExpiryInterval();
        this.expiresAt = expiry == null ? 0 : timestamp + expiry * 1000L;
    }

    private BrokerMessage(BrokerMessage m, String topic, int qos, boolean retain) {
        this.tenant = m.tenant;
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.properties = m.properties;
        this.payload = m.payload;
        this.publisher = m.publisher;
        this.timestamp = m.timestamp;
        this.expiresAt = m.expiresAt;
        this.id = m.id;
    }

    private BrokerMessage(BrokerMessage m, ByteBuf ownPayload) {
        this.tenant = m.tenant;
        this.topic = m.topic;
        this.qos = m.qos;
        this.retain = m.retain;
        this.properties = m.properties;
        this.payload = ownPayload;
        this.publisher = m.publisher;
        this.timestamp = m.timestamp;
        this.expiresAt = m.expiresAt;
        this.id = m.id;
    }

    /** Payloads up to this size are copied out of the read buffer when they wait in a queue. */
    public static final int COMPACT_MAX_BYTES = 4096;

    /**
     * This message with a payload of its own, right-sized, when the payload is small and a view
     * of a buffer at least twice its size (a slice of the connection's read buffer keeps the whole buffer alive
     * while the message waits in a queue); otherwise this same object. The copy holds one new
     * reference; the caller still owns (and must release) its reference to this message.
     */
    public BrokerMessage compacted() {
        int n = payload.readableBytes();
        if (n > COMPACT_MAX_BYTES) {
            return this;
        }
        ByteBuf root = payload;
        while (root.unwrap() != null) {
            root = root.unwrap();
        }
        if (root.capacity() < 2 * n) {
            return this; // it pins less than twice its size: not worth a copy
        }
        ByteBuf own = Unpooled.buffer(n, n);
        own.writeBytes(payload, payload.readerIndex(), n);
        return new BrokerMessage(this, own);
    }

    /** The properties a subscriber may see: no Topic Alias, no Subscription Identifier. */
    private static MqttProperties forwardable(MqttProperties p) {
        if (!p.has(PropertyId.TOPIC_ALIAS) && !p.has(PropertyId.SUBSCRIPTION_IDENTIFIER)) {
            return p;
        }
        return p.toBuilder().remove(PropertyId.TOPIC_ALIAS).remove(PropertyId.SUBSCRIPTION_IDENTIFIER).build();
    }

    /** Same payload (not retained: the caller transfers its reference), other topic. */
    public BrokerMessage withTopic(String newTopic) {
        return new BrokerMessage(this, newTopic, qos, retain);
    }

    /** Same payload (not retained), other flags. */
    public BrokerMessage withQosAndRetain(int newQos, boolean newRetain) {
        return new BrokerMessage(this, topic, newQos, newRetain);
    }

    public String tenant() { return tenant; }
    public String topic() { return topic; }
    public int qos() { return qos; }
    public boolean isRetain() { return retain; }
    public MqttProperties properties() { return properties; }
    public ByteBuf payload() { return payload; }
    public ClientInfo publisher() { return publisher; }
    public String publisherId() { return publisher == null ? null : publisher.clientId(); }
    public long timestamp() { return timestamp; }
    public long expiresAt() { return expiresAt; }

    public boolean expired(long now) {
        return expiresAt != 0 && now >= expiresAt;
    }

    /** The Message Expiry Interval to forward now (seconds, at least 1), or -1 when it never expires. */
    public long remainingExpirySeconds(long now) {
        if (expiresAt == 0) {
            return -1;
        }
        return Math.max(1, (expiresAt - now + 999) / 1000);
    }

    public String id() {
        String i = id;
        if (i == null) {
            i = Long.toHexString(IDS.incrementAndGet());
            id = i;
        }
        return i;
    }

    /** The api view (only built when an event listener or an api caller needs it). */
    public Message toApi() {
        ByteBuffer view = payload.nioBufferCount() == 1
                ? payload.nioBuffer(payload.readerIndex(), payload.readableBytes())
                : ByteBuffer.wrap(bytes());
        return new Message(id(), tenant, topic, view, qos, retain, apiProperties(),
                publisher == null ? null : publisher.clientId(), timestamp);
    }

    private MessageProperties apiProperties() {
        if (properties.isEmpty()) {
            return MessageProperties.NONE;
        }
        List<UserProperty> users = new ArrayList<>(properties.userProperties().size());
        for (Map.Entry<String, String> e : properties.userProperties()) {
            users.add(new UserProperty(e.getKey(), e.getValue()));
        }
        byte[] corr = properties.correlationData();
        return new MessageProperties(properties.payloadFormatIndicator(), properties.messageExpiryInterval(),
                properties.contentType(), properties.responseTopic(), corr == null ? null : ByteBuffer.wrap(corr), users);
    }

    /** A copy of the payload bytes (for the api when the buffer is not one NIO region). */
    public byte[] bytes() {
        byte[] out = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), out);
        return out;
    }

    @Override public int refCnt() { return payload.refCnt(); }
    @Override public BrokerMessage retain() { payload.retain(); return this; }
    @Override public BrokerMessage retain(int n) { payload.retain(n); return this; }
    @Override public BrokerMessage touch() { payload.touch(); return this; }
    @Override public BrokerMessage touch(Object hint) { payload.touch(hint); return this; }
    @Override public boolean release() { return payload.release(); }
    @Override public boolean release(int n) { return payload.release(n); }

    @Override
    public String toString() {
        return "BrokerMessage[" + tenant + " " + topic + " qos=" + qos + " retain=" + retain + " "
                + payload.readableBytes() + " bytes]";
    }
}
