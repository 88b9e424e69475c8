package io.aviary.mqtt.codec;

/** Which side may send which packet type (spec 2.1.2), for the decoder's direction check. */
final class Direction {
    private Direction() {
    }

    static boolean clientSends(PacketType t) {
        switch (t) {
            case CONNACK:
            case SUBACK:
            case UNSUBACK:
            case PINGRESP:
                return false;
            default:
                return true;
        }
    }

    static boolean serverSends(PacketType t) {
        switch (t) {
            case CONNECT:
            case SUBSCRIBE:
            case UNSUBSCRIBE:
            case PINGREQ:
                return false;
            default:
                return true;
        }
    }
}
