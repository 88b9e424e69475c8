package io.aviary.mqtt.codec;

/**
 * The fifteen MQTT control packet types with their fixed-header type value (bits 7-4 of byte 1).
 * AUTH exists only in MQTT 5.
 */
public enum PacketType {
    CONNECT(1), CONNACK(2), PUBLISH(3), PUBACK(4), PUBREC(5), PUBREL(6), PUBCOMP(7),
    SUBSCRIBE(8), SUBACK(9), UNSUBSCRIBE(10), UNSUBACK(11), PINGREQ(12), PINGRESP(13),
    DISCONNECT(14), AUTH(15);

    private static final PacketType[] BY_VALUE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;

    PacketType(int value) {
        this.value = value;
    }

    /** The 4-bit type value of the fixed header. */
    public int value() {
        return value;
    }

    /**
     * The flag bits (bits 3-0 of byte 1) that this type must carry. PUBLISH has no fixed
     * value (its bits are DUP, QoS and RETAIN) and answers -1.
     */
    public int requiredFlags() {
        switch (this) {
            case PUBLISH:
                return -1;
            case PUBREL:
            case SUBSCRIBE:
            case UNSUBSCRIBE:
                return 0b0010;
            default:
                return 0;
        }
    }

    /** The type for a 4-bit value, or null for the reserved value 0 (and anything out of range). */
    public static PacketType fromValue(int value) {
        return value > 0 && value < 16 ? BY_VALUE[value] : null;
    }
}
