package io.aviary.mqtt.codec;

import static io.aviary.mqtt.codec.PacketType.AUTH;
import static io.aviary.mqtt.codec.PacketType.CONNACK;
import static io.aviary.mqtt.codec.PacketType.CONNECT;
import static io.aviary.mqtt.codec.PacketType.DISCONNECT;
import static io.aviary.mqtt.codec.PacketType.PUBACK;
import static io.aviary.mqtt.codec.PacketType.PUBCOMP;
import static io.aviary.mqtt.codec.PacketType.PUBLISH;
import static io.aviary.mqtt.codec.PacketType.PUBREC;
import static io.aviary.mqtt.codec.PacketType.PUBREL;
import static io.aviary.mqtt.codec.PacketType.SUBACK;
import static io.aviary.mqtt.codec.PacketType.SUBSCRIBE;
import static io.aviary.mqtt.codec.PacketType.UNSUBACK;
import static io.aviary.mqtt.codec.PacketType.UNSUBSCRIBE;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every MQTT 5 property (spec table 2-4): its identifier byte, its value type and where it may
 * appear. Will properties are their own context ({@link #allowedInWill()}), since the same
 * identifier may be legal in a Will but not in the CONNECT properties around it.
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE, true, PUBLISH),
    MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE_INT, true, PUBLISH),
    CONTENT_TYPE(0x03, Type.UTF8_STRING, true, PUBLISH),
    RESPONSE_TOPIC(0x08, Type.UTF8_STRING, true, PUBLISH),
    CORRELATION_DATA(0x09, Type.BINARY, true, PUBLISH),
    SUBSCRIPTION_IDENTIFIER(0x0B, Type.VARIABLE_BYTE_INT, false, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, Type.FOUR_BYTE_INT, false, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.UTF8_STRING, false, CONNACK),
    SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE_INT, false, CONNACK),
    AUTHENTICATION_METHOD(0x15, Type.UTF8_STRING, false, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, Type.BINARY, false, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE, false, CONNECT),
    WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE_INT, true),
    REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE, false, CONNECT),
    RESPONSE_INFORMATION(0x1A, Type.UTF8_STRING, false, CONNACK),
    SERVER_REFERENCE(0x1C, Type.UTF8_STRING, false, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, Type.UTF8_STRING, false,
            CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE_INT, false, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE_INT, false, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, Type.TWO_BYTE_INT, false, PUBLISH),
    MAXIMUM_QOS(0x24, Type.BYTE, false, CONNACK),
    RETAIN_AVAILABLE(0x25, Type.BYTE, false, CONNACK),
    USER_PROPERTY(0x26, Type.UTF8_STRING_PAIR, true, CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC,
            PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE_INT, false, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE, false, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE, false, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE, false, CONNACK);

    /** The wire types of property values (spec section 1.5). */
    public enum Type { BYTE, TWO_BYTE_INT, FOUR_BYTE_INT, VARIABLE_BYTE_INT, UTF8_STRING, BINARY, UTF8_STRING_PAIR }

    private static final PropertyId[] BY_ID = new PropertyId[0x2B];

    static {
        for (PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final Type type;
    private final boolean allowedInWill;
    private final Set<PacketType> packetTypes;

    PropertyId(int id, Type type, boolean allowedInWill, PacketType... packetTypes) {
        this.id = id;
        this.type = type;
        this.allowedInWill = allowedInWill;
        EnumSet<PacketType> set = EnumSet.noneOf(PacketType.class);
        Collections.addAll(set, packetTypes);
        this.packetTypes = Collections.unmodifiableSet(set);
    }

    /** The identifier byte on the wire. */
    public int id() {
        return id;
    }

    public Type type() {
        return type;
    }

    /** The packet types whose variable header may carry this property (Will properties excluded). */
    public Set<PacketType> packetTypes() {
        return packetTypes;
    }

    public boolean allowedOn(PacketType packetType) {
        return packetTypes.contains(packetType);
    }

    /** True if this property may appear in the Will Properties of CONNECT. */
    public boolean allowedInWill() {
        return allowedInWill;
    }

    /** True for the properties that may appear more than once (on some packet type). */
    public boolean isRepeatable() {
        return this == USER_PROPERTY || this == SUBSCRIPTION_IDENTIFIER;
    }

    /** True if this property may appear more than once on the given packet type. */
    public boolean isRepeatableOn(PacketType packetType) {
        return this == USER_PROPERTY || (this == SUBSCRIPTION_IDENTIFIER && packetType == PUBLISH);
    }

    /** The property for an identifier byte, or null if the identifier is not defined. */
    public static PropertyId fromId(int id) {
        return id > 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
