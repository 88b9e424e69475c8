package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;

/**
 * The MQTT Variable Byte Integer (spec 1.5.5): 1 to 4 bytes, 7 bits each, low group first,
 * encoded in the minimum number of bytes [MQTT-1.5.5-1]. Used for the Remaining Length,
 * Property Length and Subscription Identifier.
 */
final class VariableByteInteger {
    /** Returned by {@link #peek} when more bytes are needed. */
    static final int INCOMPLETE = -1;

    private VariableByteInteger() {
    }

    static int size(int value) {
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        if (value < 2_097_152) {
            return 3;
        }
        return 4;
    }

    static void write(ByteBuf out, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    /**
     * Reads the integer starting at {@code index} without moving the reader index, looking at
     * no more than {@code available} bytes. Answers the value and its length packed as
     * {@code (length << 32) | value}, or {@link #INCOMPLETE}.
     *
     * @throws DecodeException (Malformed Packet) for a fifth byte or a non-minimal encoding
     */
    static long peek(ByteBuf in, int index, int available) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (i >= available) {
                return INCOMPLETE;
            }
            int b = in.getUnsignedByte(index + i);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i > 0 && b == 0) {
                    throw DecodeException.malformed("variable byte integer not in its minimum number of bytes");
                }
                return ((long) (i + 1) << 32) | value;
            }
        }
        throw DecodeException.malformed("variable byte integer longer than 4 bytes");
    }

    /** Reads an integer that must be complete within the readable bytes. */
    static int read(ByteBuf in) {
        long r = peek(in, in.readerIndex(), in.readableBytes());
        if (r == INCOMPLETE) {
            throw DecodeException.malformed("variable byte integer runs past the end of the packet");
        }
        in.skipBytes((int) (r >>> 32));
        return (int) r;
    }
}
