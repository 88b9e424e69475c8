package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Reading and writing the MQTT data types (spec 1.5) with bounds and UTF-8 checks. Every read
 * works on a slice that ends where the packet (or property block) ends, so running past it is
 * reported as a Malformed Packet instead of reading the next packet's bytes.
 */
final class Fields {
    private Fields() {
    }

    static int readByte(ByteBuf in, String what) {
        need(in, 1, what);
        return in.readUnsignedByte();
    }

    static int readShort(ByteBuf in, String what) {
        need(in, 2, what);
        return in.readUnsignedShort();
    }

    static long readInt(ByteBuf in, String what) {
        need(in, 4, what);
        return in.readUnsignedInt();
    }

    /** A UTF-8 Encoded String: 2-byte length, well-formed UTF-8 without U+0000 (else Malformed). */
    static String readString(ByteBuf in, String what) {
        int len = readShort(in, what + " length");
        need(in, len, what);
        if (!Utf8.isWellFormed(in, in.readerIndex(), len, false)) {
            throw DecodeException.malformed(what + " is not valid MQTT UTF-8 (ill-formed, surrogate or U+0000)");
        }
        String s = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return s;
    }

    /** Binary Data: 2-byte length and that many bytes, copied (they are small: CONNECT and properties). */
    static byte[] readBinary(ByteBuf in, String what) {
        int len = readShort(in, what + " length");
        need(in, len, what);
        byte[] b = new byte[len];
        in.readBytes(b);
        return b;
    }

    static void need(ByteBuf in, int n, String what) {
        if (in.readableBytes() < n) {
            throw DecodeException.malformed(what + " runs past the end of the packet (remaining length too short)");
        }
    }

    static void writeString(ByteBuf out, String s) {
        int len = ByteBufUtil.utf8Bytes(s);
        if (len > Utf8.MAX_STRING_BYTES || !Utf8.isValidString(s)) {
            throw new IllegalArgumentException("not a valid MQTT string (U+0000, lone surrogate or over 65535 bytes)");
        }
        out.writeShort(len);
        ByteBufUtil.reserveAndWriteUtf8(out, s, len);
    }

    static void writeBinary(ByteBuf out, byte[] b) {
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("binary data over 65535 bytes");
        }
        out.writeShort(b.length);
        out.writeBytes(b);
    }

    static int stringSize(String s) {
        return 2 + ByteBufUtil.utf8Bytes(s);
    }
}
