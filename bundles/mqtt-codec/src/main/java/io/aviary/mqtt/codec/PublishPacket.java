package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;
import java.util.Objects;

/**
 * PUBLISH. The payload is a reference-counted buffer that is never copied: the decoder hands
 * out a retained slice of its input, and the encoder writes a retained slice of it after the
 * header, so one payload buffer can fan out to many subscribers.
 *
 * <p>Reference counting: the packet <em>is</em> its payload's reference ({@link ReferenceCounted}
 * delegates to {@code payload}), so Netty's {@code ReferenceCountUtil.release(msg)} frees it.
 * Whoever receives a PublishPacket owns one reference and must release it (or pass it on, e.g.
 * write it to a channel: the encoder releases it). The {@code withXxx} copiers share the same
 * buffer <em>without</em> retaining: the copy replaces the original, so release exactly one of
 * them. To write one payload to N channels, write {@code packet.withTopic(..).retain()} N times
 * and release the original once; the encoder never moves the payload's reader index, so the
 * writes may run on different event loops at once.
 *
 *
 * <p>Not a record, because a record component {@code retain} would clash with
 * {@link ReferenceCounted#retain()}: the RETAIN flag is {@link #isRetain()}. The topic is ""
 * under MQTT 5 when a Topic Alias stands for it; packetId is 0 for QoS 0, else 1..65535.
 *
 * <p>A Topic Alias arrives inside the decoded properties. A sender that aliases its own
 * PUBLISH packets gives the alias separately ({@link #withTopicAlias}): the encoder adds it to
 * the properties as it writes them, so forwarding a message with an alias costs no new
 * property set per packet.
 */
public final class PublishPacket implements MqttPacket, ReferenceCounted {
    private final String topic;
    private final int qos;
    private final boolean retain;
    private final boolean dup;
    private final int packetId;
    private final MqttProperties properties;
    /** A Topic Alias the encoder writes in addition to {@link #properties}, 0 for none. */
    private final int addedTopicAlias;
    private final ByteBuf payload;

    public PublishPacket(String topic, int qos, boolean retain, boolean dup, int packetId,
                         MqttProperties properties, ByteBuf payload) {
        this(topic, qos, retain, dup, packetId, properties, 0, payload);
    }

    /**
     * A PUBLISH whose encoder adds Topic Alias {@code topicAlias} (1..65535, or 0 for none) to
     * {@code properties}, which must then hold no Topic Alias of their own. {@code topic} is
     * the full name to bind the alias, or "" to use a bound one (MQTT 5 only).
     */
    public PublishPacket(String topic, int qos, boolean retain, boolean dup, int packetId,
                         MqttProperties properties, int topicAlias, ByteBuf payload) {
        Objects.requireNonNull(topic, "topic");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos " + qos);
        }
        if (qos == 0 ? packetId != 0 : packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("packet id " + packetId + " for qos " + qos);
        }
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.dup = dup;
        this.packetId = packetId;
        this.properties = properties == null ? MqttProperties.EMPTY : properties;
        if (topicAlias != 0 && (topicAlias < 1 || topicAlias > 0xFFFF || this.properties.has(PropertyId.TOPIC_ALIAS))) {
            throw new IllegalArgumentException("topic alias " + topicAlias + " (1..65535, not also in the properties)");
        }
        this.addedTopicAlias = topicAlias;
        this.payload = payload == null ? Unpooled.EMPTY_BUFFER : payload;
    }

    public String topic() {
        return topic;
    }

    public int qos() {
        return qos;
    }

    /**
     * The RETAIN flag. (Named isRetain, not retain(), because {@link #retain()} is the
     * reference-count method of {@link ReferenceCounted}.)
     */
    public boolean isRetain() {
        return retain;
    }

    public boolean dup() {
        return dup;
    }

    /** 0 for QoS 0. */
    public int packetId() {
        return packetId;
    }

    public MqttProperties properties() {
        return properties;
    }

    /** The payload; its readable bytes are the message. Do not release it separately from the packet. */
    public ByteBuf payload() {
        return payload;
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    /** The Topic Alias (MQTT 5), from the properties or added by the sender, or null. */
    public Integer topicAlias() {
        return addedTopicAlias != 0 ? Integer.valueOf(addedTopicAlias) : properties.topicAlias();
    }

    /** The Topic Alias the encoder adds to the properties, 0 for none. */
    public int addedTopicAlias() {
        return addedTopicAlias;
    }

    /** The bytes of the properties on the wire with their length prefix, the added Topic Alias included. */
    int propertiesSizeWithPrefix() {
        if (addedTopicAlias == 0) {
            return properties.encodedLengthWithPrefix();
        }
        int n = properties.encodedLength() + 3; // identifier byte and two-byte value
        return VariableByteInteger.size(n) + n;
    }

    /**
     * A copy with this Topic Name ("" to use a bound alias) and Topic Alias added by the encoder
     * (0 for none), sharing (not retaining) the payload.
     */
    public PublishPacket withTopicAlias(String newTopic, int alias) {
        return new PublishPacket(newTopic, qos, retain, dup, packetId, properties, alias, payload);
    }

    /** A copy with another topic, sharing (not retaining) the payload. */
    public PublishPacket withTopic(String newTopic) {
        return new PublishPacket(newTopic, qos, retain, dup, packetId, properties, addedTopicAlias, payload);
    }

    /** A copy with another DUP flag, sharing (not retaining) the payload. */
    public PublishPacket withDup(boolean newDup) {
        return new PublishPacket(topic, qos, retain, newDup, packetId, properties, addedTopicAlias, payload);
    }

    /** A copy with another packet id, sharing (not retaining) the payload. */
    public PublishPacket withPacketId(int newPacketId) {
        return new PublishPacket(topic, qos, retain, dup, newPacketId, properties, addedTopicAlias, payload);
    }

    /**
     * A copy with another QoS, sharing (not retaining) the payload. Downgrading to QoS 0 also
     * clears the packet id and DUP, which QoS 0 must not carry.
     */
    public PublishPacket withQos(int newQos) {
        return newQos == 0
                ? new PublishPacket(topic, 0, retain, false, 0, properties, addedTopicAlias, payload)
                : new PublishPacket(topic, newQos, retain, dup, packetId, properties, addedTopicAlias, payload);
    }

    /** A copy with QoS and packet id changed together (QoS 0 takes id 0), sharing the payload. */
    public PublishPacket withQosAndPacketId(int newQos, int newPacketId) {
        return new PublishPacket(topic, newQos, retain, newQos != 0 && dup, newQos == 0 ? 0 : newPacketId,
                properties, addedTopicAlias, payload);
    }

    /** A copy with another RETAIN flag, sharing (not retaining) the payload. */
    public PublishPacket withRetain(boolean newRetain) {
        return new PublishPacket(topic, qos, newRetain, dup, packetId, properties, addedTopicAlias, payload);
    }

    /** A copy with other properties (and no added Topic Alias), sharing (not retaining) the payload. */
    public PublishPacket withProperties(MqttProperties newProperties) {
        return new PublishPacket(topic, qos, retain, dup, packetId, newProperties, payload);
    }

    /** A copy holding its own new reference to the same bytes (retainedDuplicate): release both. */
    public PublishPacket retainedDuplicate() {
        return new PublishPacket(topic, qos, retain, dup, packetId, properties, addedTopicAlias, payload.retainedDuplicate());
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public PublishPacket retain() {
        payload.retain();
        return this;
    }

    @Override
    public PublishPacket retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public PublishPacket touch() {
        payload.touch();
        return this;
    }

    @Override
    public PublishPacket touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    /** Equal when every field and the payload's readable bytes are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PublishPacket p && topic.equals(p.topic) && qos == p.qos && retain == p.retain
                && dup == p.dup && packetId == p.packetId && properties.equals(p.properties)
                && addedTopicAlias == p.addedTopicAlias && payload.equals(p.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, qos, retain, dup, packetId, properties, addedTopicAlias);
    }

    /** Prints the payload size, never its bytes. */
    @Override
    public String toString() {
        return "PublishPacket[topic=" + topic + ", qos=" + qos + ", retain=" + retain + ", dup=" + dup
                + ", packetId=" + packetId + ", properties=" + properties
                + (addedTopicAlias != 0 ? ", topicAlias=" + addedTopicAlias : "") + ", payload="
                + (payload.refCnt() > 0 ? payload.readableBytes() + " bytes" : "released") + "]";
    }
}
