package io.aviary.mqtt.codec;

/** Argument checks shared by the packet records, so a record can never hold an unencodable value. */
final class PacketChecks {
    private PacketChecks() {
    }

    static void requirePacketId(int packetId) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("packet id must be 1..65535, was " + packetId);
        }
    }

    static void requireByte(String what, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(what + " must be 0..255, was " + value);
        }
    }
}
