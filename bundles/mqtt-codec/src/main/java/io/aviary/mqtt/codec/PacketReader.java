package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the body of every packet type except CONNECT ({@link ConnectReader}). The body is a
 * slice holding exactly Remaining Length bytes, so reads cannot stray into the next packet; the
 * decoder reports any bytes left over. Each method applies the spec's MUSTs for its type.
 */
final class PacketReader {
    private final PacketType type;
    private final int flags;
    private final MqttVersion version;
    private final boolean fromClient;

    PacketReader(PacketType type, int flags, MqttVersion version, boolean fromClient) {
        this.type = type;
        this.flags = flags;
        this.version = version;
        this.fromClient = fromClient;
    }

    MqttPacket read(ByteBuf in) {
        switch (type) {
            case CONNACK: return readConnAck(in);
            case PUBLISH: return readPublish(in);
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP: return readAck(in);
            case SUBSCRIBE: return readSubscribe(in);
            case SUBACK: return readSubAck(in);
            case UNSUBSCRIBE: return readUnsubscribe(in);
            case UNSUBACK: return readUnsubAck(in);
            case PINGREQ: return PingReqPacket.INSTANCE;
            case PINGRESP: return PingRespPacket.INSTANCE;
            case DISCONNECT: return readDisconnect(in);
            case AUTH: return readAuth(in);
            default: throw new IllegalStateException(type + " is read by ConnectReader");
        }
    }

    private ConnAckPacket readConnAck(ByteBuf in) {
        int ackFlags = Fields.readByte(in, "connack flags");
        if ((ackFlags & 0xFE) != 0 || (version == MqttVersion.MQTT_3_1 && ackFlags != 0)) {
            throw DecodeException.malformed("CONNACK reserved flags are set [MQTT-3.2.2-1]");
        }
        int code = Fields.readByte(in, "connect reason code");
        if (!version.isV5()) {
            if (code > ReasonCode.CONNACK_V3_NOT_AUTHORIZED) {
                throw DecodeException.protocolError("unknown CONNACK return code " + code);
            }
            code = ReasonCode.fromV3ConnackCode(code);
        } else {
            checkReason(code);
        }
        boolean sessionPresent = ackFlags == 1;
        if (sessionPresent && code != ReasonCode.SUCCESS) {
            throw DecodeException.protocolError("session present with a failure reason code [MQTT-3.2.2-6]");
        }
        MqttProperties props = readProperties(in);
        return new ConnAckPacket(sessionPresent, code, props);
    }

    private PublishPacket readPublish(ByteBuf in) {
        int qos = (flags >> 1) & 0x03;
        boolean dup = (flags & 0x08) != 0;
        if (qos == 3) {
            throw DecodeException.malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
        }
        if (dup && qos == 0) {
            throw DecodeException.protocolError("PUBLISH QoS 0 with DUP set [MQTT-3.3.1-2]");
        }
        String topic = Fields.readString(in, "topic name");
        int packetId = qos > 0 ? readPacketId(in) : 0;
        MqttProperties props = readProperties(in);
        checkPublishTopic(topic, props);
        if (fromClient && props.has(PropertyId.SUBSCRIPTION_IDENTIFIER)) {
            throw DecodeException.protocolError("PUBLISH from a client carries a subscription identifier [MQTT-3.3.4-6]");
        }
        ByteBuf payload = in.readRetainedSlice(in.readableBytes());
        return new PublishPacket(topic, qos, (flags & 0x01) != 0, dup, packetId, props, payload);
    }

    private void checkPublishTopic(String topic, MqttProperties props) {
        if (topic.isEmpty()) {
            if (!props.has(PropertyId.TOPIC_ALIAS)) {
                throw DecodeException.protocolError("empty topic name without a topic alias [MQTT-4.7.3-1]");
            }
        } else if (Topics.hasWildcard(topic)) {
            throw new DecodeException(ReasonCode.TOPIC_NAME_INVALID, "topic name contains a wildcard [MQTT-3.3.2-2]");
        }
        String responseTopic = props.responseTopic();
        if (responseTopic != null && !Topics.isValidTopicName(responseTopic)) {
            throw DecodeException.protocolError("response topic is empty or has wildcards [MQTT-3.3.2-14]");
        }
    }

    private AckPacket readAck(ByteBuf in) {
        int packetId = readPacketId(in);
        int code = ReasonCode.SUCCESS;
        MqttProperties props = MqttProperties.EMPTY;
        if (version.isV5() && in.isReadable()) {
            code = Fields.readByte(in, "reason code");
            checkReason(code);
            if (in.isReadable()) {
                props = PropertiesCodec.read(in, type, false);
            }
        }
        return new AckPacket(type, packetId, code, props);
    }

    private SubscribePacket readSubscribe(ByteBuf in) {
        int packetId = readPacketId(in);
        MqttProperties props = readProperties(in);
        List<Subscription> subs = new ArrayList<>();
        while (in.isReadable()) {
            subs.add(readSubscription(in));
        }
        if (subs.isEmpty()) {
            throw DecodeException.protocolError("SUBSCRIBE without a topic filter [MQTT-3.8.3-2]");
        }
        return new SubscribePacket(packetId, subs, props);
    }

    private Subscription readSubscription(ByteBuf in) {
        String filter = Fields.readString(in, "topic filter");
        int options = Fields.readByte(in, "subscription options");
        int reservedMask = version.isV5() ? 0xC0 : 0xFC;
        if ((options & reservedMask) != 0) {
            throw DecodeException.malformed("subscription options reserved bits are set [MQTT-3.8.3-5]");
        }
        int qos = options & 0x03;
        if (qos == 3) {
            throw DecodeException.malformed("subscription with QoS 3 [MQTT-3.8.3-4]");
        }
        int retainHandling = (options >> 4) & 0x03;
        if (retainHandling == 3) {
            throw DecodeException.protocolError("retain handling 3");
        }
        checkFilter(filter);
        boolean noLocal = (options & 0x04) != 0;
        if (noLocal && Topics.isShared(filter)) {
            throw DecodeException.protocolError("no local on a shared subscription [MQTT-3.8.3-4]");
        }
        return new Subscription(filter, qos, noLocal, (options & 0x08) != 0, retainHandling);
    }

    private SubAckPacket readSubAck(ByteBuf in) {
        int packetId = readPacketId(in);
        MqttProperties props = readProperties(in);
        List<Integer> codes = readReasonCodes(in);
        return new SubAckPacket(packetId, codes, props);
    }

    private UnsubscribePacket readUnsubscribe(ByteBuf in) {
        int packetId = readPacketId(in);
        MqttProperties props = readProperties(in);
        List<String> filters = new ArrayList<>();
        while (in.isReadable()) {
            String filter = Fields.readString(in, "topic filter");
            checkFilter(filter);
            filters.add(filter);
        }
        if (filters.isEmpty()) {
            throw DecodeException.protocolError("UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]");
        }
        return new UnsubscribePacket(packetId, filters, props);
    }

    private UnsubAckPacket readUnsubAck(ByteBuf in) {
        int packetId = readPacketId(in);
        if (!version.isV5()) {
            return new UnsubAckPacket(packetId, List.of(), MqttProperties.EMPTY);
        }
        MqttProperties props = readProperties(in);
        return new UnsubAckPacket(packetId, readReasonCodes(in), props);
    }

    private List<Integer> readReasonCodes(ByteBuf in) {
        List<Integer> codes = new ArrayList<>(in.readableBytes());
        while (in.isReadable()) {
            int code = in.readUnsignedByte();
            checkReason(code);
            codes.add(code);
        }
        if (codes.isEmpty()) {
            throw DecodeException.protocolError(type + " without reason codes");
        }
        return codes;
    }

    private DisconnectPacket readDisconnect(ByteBuf in) {
        if (!version.isV5() || !in.isReadable()) {
            return DisconnectPacket.NORMAL; // a 3.1.1 DISCONNECT with content fails the length check
        }
        int code = Fields.readByte(in, "reason code");
        checkReason(code);
        MqttProperties props = in.isReadable() ? PropertiesCodec.read(in, type, false) : MqttProperties.EMPTY;
        if (fromClient && props.has(PropertyId.SERVER_REFERENCE)) {
            throw DecodeException.protocolError("server reference in a DISCONNECT from a client");
        }
        return new DisconnectPacket(code, props);
    }

    private AuthPacket readAuth(ByteBuf in) {
        if (!in.isReadable()) {
            return new AuthPacket(ReasonCode.SUCCESS, MqttProperties.EMPTY);
        }
        int code = Fields.readByte(in, "reason code");
        checkReason(code);
        MqttProperties props = in.isReadable() ? PropertiesCodec.read(in, type, false) : MqttProperties.EMPTY;
        return new AuthPacket(code, props);
    }

    private MqttProperties readProperties(ByteBuf in) {
        return version.isV5() ? PropertiesCodec.read(in, type, false) : MqttProperties.EMPTY;
    }

    private static int readPacketId(ByteBuf in) {
        int id = Fields.readShort(in, "packet identifier");
        if (id == 0) {
            throw DecodeException.malformed("packet identifier 0 [MQTT-2.2.1-3]");
        }
        return id;
    }

    private static void checkFilter(String filter) {
        if (!Topics.isValidTopicFilter(filter)) {
            throw new DecodeException(ReasonCode.TOPIC_FILTER_INVALID,
                    "invalid topic filter (empty, misplaced wildcard or bad shared form) [MQTT-4.7.1-1]");
        }
    }

    private void checkReason(int code) {
        if (!AllowedReasonCodes.allowed(type, code, fromClient, version)) {
            throw DecodeException.protocolError(String.format("reason code 0x%02X is not allowed on %s", code, type));
        }
    }
}
