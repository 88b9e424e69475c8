package io.aviary.mqtt.codec;

/**
 * Thrown inside the decoder (never out of it) to abandon a packet with a reason code; the
 * decoder turns it into an {@link InvalidPacket}. Stackless, since bad input is routine.
 */
final class DecodeException extends RuntimeException {
    private final int reasonCode;

    DecodeException(int reasonCode, String message) {
        super(message, null, false, false);
        this.reasonCode = reasonCode;
    }

    static DecodeException malformed(String message) {
        return new DecodeException(ReasonCode.MALFORMED_PACKET, message);
    }

    static DecodeException protocolError(String message) {
        return new DecodeException(ReasonCode.PROTOCOL_ERROR, message);
    }

    int reasonCode() {
        return reasonCode;
    }
}
