package io.aviary.broker.transport;

import io.aviary.broker.util.Counters;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.ReasonCode;

/** Small protocol helpers shared by the CONNECT and session stages: violation counting and reason strings. */
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
