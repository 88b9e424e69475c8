package io.aviary.broker.transport;

import io.aviary.broker.util.Counters;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.ReasonCode;
import java.util.Set;

/** Small protocol helpers shared by the CONNECT and session stages: violation counting, reason codes of refusals, reason strings. */
final class Protocol {

    private Protocol() {
    }

    /** Counts a protocol violation under the name of its reason code. */
    static void count(Counters counters, int reasonCode) {
        switch (reasonCode) {
            case ReasonCode.MALFORMED_PACKET -> counters.packetsMalformed.increment();
            case ReasonCode.PROTOCOL_ERROR -> counters.packetsProtocolError.increment();
            case ReasonCode.PACKET_TOO_LARGE -> counters.packetsTooLarge.increment();
            default -> counters.inc("packets.error." + Integer.toHexString(reasonCode));
        }
    }

    /** CONNACK failure reason codes (MQTT 5, 3.2.2.2). */
    private static final Set<Integer> CONNACK_FAILURES = Set.of(0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
            0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
    /** DISCONNECT reason codes a server may send, Success excluded (MQTT 5, 3.14.2.1). */
    private static final Set<Integer> SERVER_DISCONNECT_FAILURES = Set.of(0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B,
            0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0,
            0xA1, 0xA2);

    /**
     * An authenticator's refusal as a CONNACK reason code: its own code when CONNACK may carry
     * it, else 0x87 Not authorized [MQTT-3.2.2-8].
     */
    static int connackRefusal(int authenticatorCode) {
        return CONNACK_FAILURES.contains(authenticatorCode) ? authenticatorCode : ReasonCode.NOT_AUTHORIZED;
    }

    /**
     * A refused re-authentication as a DISCONNECT reason code. Authenticators answer with CONNACK
     * codes, and several of them (0x84, 0x85, 0x86, 0x88, 0x8A, 0x8C) are not DISCONNECT codes:
     * those become 0x87 Not authorized [MQTT-3.14.2-1].
     */
    static int disconnectRefusal(int authenticatorCode) {
        return SERVER_DISCONNECT_FAILURES.contains(authenticatorCode) ? authenticatorCode : ReasonCode.NOT_AUTHORIZED;
    }

    static MqttProperties reasonString(String reason) {
        if (reason == null) {
            return MqttProperties.EMPTY;
        }
        String text = reason.length() > 200 ? reason.substring(0, 200) : reason;
        try {
            return MqttProperties.builder().set(PropertyId.REASON_STRING, text).build();
        } catch (IllegalArgumentException notValidUtf8) {
            return MqttProperties.EMPTY;
        }
    }
}
