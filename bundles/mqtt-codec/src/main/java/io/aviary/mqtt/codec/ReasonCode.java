package io.aviary.mqtt.codec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * The MQTT 5 reason codes (spec section 2.4) and the MQTT 3.1.1 CONNACK return codes, as plain
 * int constants because the same value means different things on different packets
 * (0x00 is Success, Normal disconnection and Granted QoS 0). Also maps v5 CONNACK reasons to
 * the six return codes a 3.1.1 client understands.
 */
public final class ReasonCode {
    public static final int SUCCESS = 0x00;
    public static final int NORMAL_DISCONNECTION = 0x00;
    public static final int GRANTED_QOS_0 = 0x00;
    public static final int GRANTED_QOS_1 = 0x01;
    public static final int GRANTED_QOS_2 = 0x02;
    public static final int DISCONNECT_WITH_WILL = 0x04;
    public static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    public static final int NO_SUBSCRIPTION_EXISTED = 0x11;
    public static final int CONTINUE_AUTHENTICATION = 0x18;
    public static final int RE_AUTHENTICATE = 0x19;
    public static final int UNSPECIFIED_ERROR = 0x80;
    public static final int MALFORMED_PACKET = 0x81;
    public static final int PROTOCOL_ERROR = 0x82;
    public static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
    public static final int UNSUPPORTED_PROTOCOL_VERSION = 0x84;
    public static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    public static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    public static final int NOT_AUTHORIZED = 0x87;
    public static final int SERVER_UNAVAILABLE = 0x88;
    public static final int SERVER_BUSY = 0x89;
    public static final int BANNED = 0x8A;
    public static final int SERVER_SHUTTING_DOWN = 0x8B;
    public static final int BAD_AUTHENTICATION_METHOD = 0x8C;
    public static final int KEEP_ALIVE_TIMEOUT = 0x8D;
    public static final int SESSION_TAKEN_OVER = 0x8E;
    public static final int TOPIC_FILTER_INVALID = 0x8F;
    public static final int TOPIC_NAME_INVALID = 0x90;
    public static final int PACKET_IDENTIFIER_IN_USE = 0x91;
    public static final int PACKET_IDENTIFIER_NOT_FOUND = 0x92;
    public static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
    public static final int TOPIC_ALIAS_INVALID = 0x94;
    public static final int PACKET_TOO_LARGE = 0x95;
    public static final int MESSAGE_RATE_TOO_HIGH = 0x96;
    public static final int QUOTA_EXCEEDED = 0x97;
    public static final int ADMINISTRATIVE_ACTION = 0x98;
    public static final int PAYLOAD_FORMAT_INVALID = 0x99;
    public static final int RETAIN_NOT_SUPPORTED = 0x9A;
    public static final int QOS_NOT_SUPPORTED = 0x9B;
    public static final int USE_ANOTHER_SERVER = 0x9C;
    public static final int SERVER_MOVED = 0x9D;
    public static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
    public static final int CONNECTION_RATE_EXCEEDED = 0x9F;
    public static final int MAXIMUM_CONNECT_TIME = 0xA0;
    public static final int SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = 0xA1;
    public static final int WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED = 0xA2;

    /** MQTT 3.1 / 3.1.1 CONNACK return codes. */
    public static final int CONNACK_V3_ACCEPTED = 0x00;
    public static final int CONNACK_V3_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
    public static final int CONNACK_V3_IDENTIFIER_REJECTED = 0x02;
    public static final int CONNACK_V3_SERVER_UNAVAILABLE = 0x03;
    public static final int CONNACK_V3_BAD_USER_NAME_OR_PASSWORD = 0x04;
    public static final int CONNACK_V3_NOT_AUTHORIZED = 0x05;

    /** The MQTT 3.1.1 SUBACK failure return code. */
    public static final int SUBACK_V3_FAILURE = 0x80;

    private static final Map<Integer, String> NAMES = names();

    private ReasonCode() {
    }

    /**
     * A readable name for a v5 reason code, e.g. "MALFORMED_PACKET"; for 0x00..0x02 the generic
     * "SUCCESS" / "GRANTED_QOS_n"; for an unknown value "0xNN".
     */
    public static String name(int code) {
        String n = NAMES.get(code);
        return n != null ? n : String.format("0x%02X", code);
    }

    /** True for a failure reason code (0x80 and above). */
    public static boolean isError(int code) {
        return code >= 0x80;
    }

    /**
     * Maps a v5 CONNACK reason code to the closest MQTT 3.1.1 CONNACK return code. Codes below
     * 0x80 map to ACCEPTED; failures with no 3.1.1 equivalent map to SERVER_UNAVAILABLE.
     */
    public static int toV3ConnackCode(int v5ReasonCode) {
        if (v5ReasonCode < 0x80) {
            return CONNACK_V3_ACCEPTED;
        }
        switch (v5ReasonCode) {
            case UNSUPPORTED_PROTOCOL_VERSION:
                return CONNACK_V3_UNACCEPTABLE_PROTOCOL_VERSION;
            case CLIENT_IDENTIFIER_NOT_VALID:
                return CONNACK_V3_IDENTIFIER_REJECTED;
            case BAD_USER_NAME_OR_PASSWORD:
            case BAD_AUTHENTICATION_METHOD:
                return CONNACK_V3_BAD_USER_NAME_OR_PASSWORD;
            case NOT_AUTHORIZED:
            case BANNED:
                return CONNACK_V3_NOT_AUTHORIZED;
            default:
                return CONNACK_V3_SERVER_UNAVAILABLE;
        }
    }

    /** The v5 reason code closest to a 3.1.1 CONNACK return code (for a v3 client decoder). */
    public static int fromV3ConnackCode(int v3ReturnCode) {
        switch (v3ReturnCode) {
            case CONNACK_V3_ACCEPTED:
                return SUCCESS;
            case CONNACK_V3_UNACCEPTABLE_PROTOCOL_VERSION:
                return UNSUPPORTED_PROTOCOL_VERSION;
            case CONNACK_V3_IDENTIFIER_REJECTED:
                return CLIENT_IDENTIFIER_NOT_VALID;
            case CONNACK_V3_SERVER_UNAVAILABLE:
                return SERVER_UNAVAILABLE;
            case CONNACK_V3_BAD_USER_NAME_OR_PASSWORD:
                return BAD_USER_NAME_OR_PASSWORD;
            case CONNACK_V3_NOT_AUTHORIZED:
                return NOT_AUTHORIZED;
            default:
                return UNSPECIFIED_ERROR;
        }
    }

    private static Map<Integer, String> names() {
        Map<Integer, String> m = new HashMap<>();
        for (Field f : ReasonCode.class.getFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) && f.getType() == int.class && !f.getName().contains("_V3_")) {
                try {
                    m.putIfAbsent(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        m.put(0x00, "SUCCESS");
        return Map.copyOf(m);
    }
}
