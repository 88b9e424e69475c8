package io.aviary.mqtt.codec;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sample packets for the round-trip tests: under MQTT 5 every packet carries every property its
 * type allows (so each property id, type and context is exercised); under 3.1 and 3.1.1 the same
 * packets without what those versions cannot carry, so that decode(encode(p)) must equal p.
 */
final class Samples {
    private Samples() {
    }

    /** Every property allowed in this context, with values at type edges (e.g. 0xFFFFFFFF). */
    static MqttProperties allProperties(PacketType type, boolean will, boolean fromClient) {
        MqttProperties.Builder b = MqttProperties.builder();
        for (PropertyId id : PropertyId.values()) {
            boolean allowed = will ? id.allowedInWill() : id.allowedOn(type);
            if (!allowed || skip(id, type, fromClient)) {
                continue;
            }
            switch (id) {
                case USER_PROPERTY:
                    b.userProperty("k", "v1").userProperty("k", "v2").userProperty("ünï", "𝄞€");
                    break;
                case SUBSCRIPTION_IDENTIFIER:
                    b.subscriptionIdentifier(42);
                    if (type == PacketType.PUBLISH) {
                        b.subscriptionIdentifier(MqttCodec.MAX_VARIABLE_BYTE_INT);
                    }
                    break;
                case RESPONSE_TOPIC:
                    b.set(id, "reply/to");
                    break;
                default:
                    b.set(id, sampleValue(id));
            }
        }
        return b.build();
    }

    private static boolean skip(PropertyId id, PacketType type, boolean fromClient) {
        return (id == PropertyId.SUBSCRIPTION_IDENTIFIER && type == PacketType.PUBLISH && fromClient)
                || (id == PropertyId.SERVER_REFERENCE && type == PacketType.DISCONNECT && fromClient);
    }

    private static Object sampleValue(PropertyId id) {
        switch (id.type()) {
            case BYTE: return 1;
            case TWO_BYTE_INT: return 0xFFFF;
            case FOUR_BYTE_INT: return 0xFFFF_FFFFL;
            case UTF8_STRING: return "text-" + id.name().toLowerCase() + " ü€𝄞";
            case BINARY: return new byte[] {0, 1, 2, (byte) 0xFF};
            default: throw new IllegalArgumentException(id.toString());
        }
    }

    private static MqttProperties props(MqttVersion v, PacketType type, boolean fromClient) {
        return v.isV5() ? allProperties(type, false, fromClient) : MqttProperties.EMPTY;
    }

    /** Packets a client sends (decoded by the server-side decoder after CONNECT). */
    static List<MqttPacket> clientPackets(MqttVersion v) {
        List<MqttPacket> list = new ArrayList<>();
        int reason = v.isV5() ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS;
        list.add(publish(v, true, 0, "a/b"));
        list.add(publish(v, true, 1, "a/b/ü"));
        list.add(publish(v, true, 2, "/"));
        for (PacketType t : List.of(PacketType.PUBACK, PacketType.PUBREC)) {
            list.add(new AckPacket(t, 7, reason, props(v, t, true)));
            list.add(new AckPacket(t, 65535, ReasonCode.SUCCESS, MqttProperties.EMPTY));
        }
        for (PacketType t : List.of(PacketType.PUBREL, PacketType.PUBCOMP)) {
            list.add(new AckPacket(t, 8, v.isV5() ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND : 0, props(v, t, true)));
            list.add(new AckPacket(t, 1, ReasonCode.SUCCESS, MqttProperties.EMPTY));
        }
        list.add(new SubscribePacket(9, List.of(
                new Subscription("a/+/c", 0, v.isV5(), false, 0),
                new Subscription("#", 1, false, v.isV5(), v.isV5() ? 1 : 0),
                new Subscription("$share/g/x/#", 2, false, false, v.isV5() ? 2 : 0)),
                props(v, PacketType.SUBSCRIBE, true)));
        list.add(new UnsubscribePacket(10, List.of("a/+/c", "#", "x//y"), props(v, PacketType.UNSUBSCRIBE, true)));
        list.add(PingReqPacket.INSTANCE);
        list.add(DisconnectPacket.NORMAL);
        if (v.isV5()) {
            list.add(new DisconnectPacket(ReasonCode.DISCONNECT_WITH_WILL, props(v, PacketType.DISCONNECT, true)));
            list.add(DisconnectPacket.of(ReasonCode.PROTOCOL_ERROR));
            list.add(new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, props(v, PacketType.AUTH, true)));
            list.add(new AuthPacket(ReasonCode.SUCCESS, MqttProperties.EMPTY));
        }
        return list;
    }

    /** Packets a server sends (decoded by the client-side decoder). */
    static List<MqttPacket> serverPackets(MqttVersion v) {
        List<MqttPacket> list = new ArrayList<>();
        list.add(new ConnAckPacket(v != MqttVersion.MQTT_3_1, ReasonCode.SUCCESS, props(v, PacketType.CONNACK, false)));
        list.add(new ConnAckPacket(false, ReasonCode.NOT_AUTHORIZED, MqttProperties.EMPTY));
        list.add(publish(v, false, 1, "x"));
        list.add(publish(v, false, 0, "x/y"));
        list.add(new AckPacket(PacketType.PUBACK, 3, v.isV5() ? ReasonCode.QUOTA_EXCEEDED : 0, props(v, PacketType.PUBACK, false)));
        list.add(AckPacket.pubRec(4));
        list.add(AckPacket.pubRel(5));
        list.add(AckPacket.pubComp(6));
        list.add(new SubAckPacket(9, List.of(0, 1, 2, v.isV5() ? ReasonCode.TOPIC_FILTER_INVALID : 0x80),
                props(v, PacketType.SUBACK, false)));
        list.add(new UnsubAckPacket(10, v.isV5() ? List.of(0, ReasonCode.NO_SUBSCRIPTION_EXISTED) : List.of(),
                props(v, PacketType.UNSUBACK, false)));
        list.add(PingRespPacket.INSTANCE);
        if (v.isV5()) {
            list.add(new DisconnectPacket(ReasonCode.SERVER_MOVED, props(v, PacketType.DISCONNECT, false)));
            list.add(new AuthPacket(ReasonCode.RE_AUTHENTICATE, props(v, PacketType.AUTH, false)));
        }
        return list;
    }

    /** CONNECT with will, user name and password (and every CONNECT and Will property under MQTT 5). */
    static ConnectPacket fullConnect(MqttVersion v) {
        MqttProperties willProps = v.isV5() ? allProperties(PacketType.CONNECT, true, true) : MqttProperties.EMPTY;
        Will will = new Will("will/topic", new byte[] {1, 2, 3}, 2, true, willProps);
        return new ConnectPacket(v, "client-ü", false, 65535, "user", "secret".getBytes(StandardCharsets.UTF_8),
                will, props(v, PacketType.CONNECT, true));
    }

    static PublishPacket publish(MqttVersion v, boolean fromClient, int qos, String topic) {
        MqttProperties props = props(v, PacketType.PUBLISH, fromClient);
        return new PublishPacket(topic, qos, qos == 1, qos == 2, qos == 0 ? 0 : 100 + qos, props,
                Unpooled.copiedBuffer("payload-" + qos, StandardCharsets.UTF_8));
    }
}
