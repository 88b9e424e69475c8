package io.aviary.mqtt.codec;

import java.util.BitSet;

/**
 * The MQTT 5 reason codes each packet type may carry (spec 3.2.2.2, 3.4.2.1, 3.6.2.1, 3.9.3,
 * 3.11.3, 3.14.2.1, 3.15.2.1), and for DISCONNECT which of them a client may send. A decoder
 * receiving any other value reports a Protocol Error.
 */
final class AllowedReasonCodes {
    private static final BitSet CONNACK = of(0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A,
            0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
    private static final BitSet PUBACK_PUBREC = of(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
    private static final BitSet PUBREL_PUBCOMP = of(0x00, 0x92);
    private static final BitSet SUBACK = of(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2);
    private static final BitSet SUBACK_V3 = of(0x00, 0x01, 0x02, 0x80);
    private static final BitSet UNSUBACK = of(0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91);
    private static final BitSet DISCONNECT_FROM_CLIENT = of(0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95,
            0x96, 0x97, 0x98, 0x99);
    private static final BitSet DISCONNECT_FROM_SERVER = of(0x00, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E,
            0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2);
    private static final BitSet AUTH = of(0x00, 0x18, 0x19);

    private AllowedReasonCodes() {
    }

    /**
     * True if {@code code} may appear on {@code type}.
     *
     * @param fromClient who sent the packet (matters for DISCONNECT)
     */
    static boolean allowed(PacketType type, int code, boolean fromClient, MqttVersion version) {
        switch (type) {
            case CONNACK: return CONNACK.get(code);
            case PUBACK:
            case PUBREC: return PUBACK_PUBREC.get(code);
            case PUBREL:
            case PUBCOMP: return PUBREL_PUBCOMP.get(code);
            case SUBACK: return (version.isV5() ? SUBACK : SUBACK_V3).get(code);
            case UNSUBACK: return UNSUBACK.get(code);
            case DISCONNECT: return (fromClient ? DISCONNECT_FROM_CLIENT : DISCONNECT_FROM_SERVER).get(code);
            case AUTH: return AUTH.get(code);
            default: return false;
        }
    }

    private static BitSet of(int... codes) {
        BitSet b = new BitSet(256);
        for (int c : codes) {
            b.set(c);
        }
        return b;
    }
}
