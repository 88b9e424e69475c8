package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;

/**
 * UTF-8 checks by hand, because the JDK decoders silently replace bad input. An MQTT UTF-8
 * string (spec 1.5.4) must be well-formed (no overlong forms, no surrogates U+D800..U+DFFF, no
 * code point above U+10FFFF) [MQTT-1.5.4-1] and must not contain U+0000 [MQTT-1.5.4-2].
 * Control characters and non-characters are allowed [MQTT-1.5.4-3 is about BOM only].
 */
final class Utf8 {
    static final int MAX_STRING_BYTES = 0xFFFF;

    private Utf8() {
    }

    /** True if the bytes are well-formed UTF-8; U+0000 is rejected only if {@code allowNul} is false. */
    static boolean isWellFormed(ByteBuf buf, int offset, int length, boolean allowNul) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = buf.getByte(i) & 0xFF;
            if (b < 0x80) {
                if (b == 0 && !allowNul) {
                    return false;
                }
                i++;
                continue;
            }
            int n = sequenceLength(buf, i, end, b);
            if (n < 0) {
                return false;
            }
            i += n;
        }
        return true;
    }

    /** The length of the multi-byte sequence at {@code i} starting with lead byte {@code b}, or -1. */
    private static int sequenceLength(ByteBuf buf, int i, int end, int b) {
        int n;
        int min;
        int lo = 0x80;
        int hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            n = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 3;
            if (b == 0xE0) {
                lo = 0xA0; // overlong
            } else if (b == 0xED) {
                hi = 0x9F; // surrogates
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 4;
            if (b == 0xF0) {
                lo = 0x90; // overlong
            } else if (b == 0xF4) {
                hi = 0x8F; // above U+10FFFF
            }
        } else {
            return -1;
        }
        if (i + n > end) {
            return -1;
        }
        min = buf.getByte(i + 1) & 0xFF;
        if (min < lo || min > hi) {
            return -1;
        }
        for (int k = 2; k < n; k++) {
            int c = buf.getByte(i + k) & 0xFF;
            if (c < 0x80 || c > 0xBF) {
                return -1;
            }
        }
        return n;
    }

    /**
     * True if a Java string can be sent as an MQTT UTF-8 string: no U+0000, no unpaired
     * surrogate, at most 65,535 bytes once encoded.
     */
    static boolean isValidString(String s) {
        return s != null && encodedLengthIfValid(s) >= 0;
    }

    /** The UTF-8 length of {@code s}, or -1 if it has U+0000 or an unpaired surrogate. */
    static int encodedLengthIfValid(String s) {
        int len = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return -1;
            } else if (c < 0x80) {
                len += 1;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return -1;
                }
                i++;
                len += 4;
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                len += 3;
            }
        }
        return len;
    }
}
