package io.aviary.rules.internal;

import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import io.aviary.rules.Values.BitString;
import java.math.BigInteger;

/**
 * Bit operations for binary device payloads: the integer bit operators (bitand, bitsl, ...) and
 * subbits, which reads a field of any bit length at any bit offset (1-based) as an integer,
 * a float or raw bits, signed or not, big or little endian. When fewer bits remain than asked
 * for, subbits reads what remains; when the start is past the end it is undefined (as in EMQX).
 */
final class BitFunctions {

    private BitFunctions() {}

    static void register() {
        Functions.register("bitnot", 1, (a, env) -> ~Args.integer("bitnot", a, 0));
        Functions.register("bitand", 2, (a, env) -> Args.integer("bitand", a, 0) & Args.integer("bitand", a, 1));
        Functions.register("bitor", 2, (a, env) -> Args.integer("bitor", a, 0) | Args.integer("bitor", a, 1));
        Functions.register("bitxor", 2, (a, env) -> Args.integer("bitxor", a, 0) ^ Args.integer("bitxor", a, 1));
        Functions.register("bitsl", 2, (a, env) -> shift(a, true));
        Functions.register("bitsr", 2, (a, env) -> shift(a, false));
        Functions.register("bitsize", 1, (a, env) -> (long) bitLength(a, "bitsize"));
        Functions.register("bytesize", 1, (a, env) -> (long) Args.bin("bytesize", a, 0).length);
        Functions.register("subbits", 2, (a, env) -> subbits(a, 1, Args.integer("subbits", a, 1), "integer", "unsigned", "big"));
        Functions.register("subbits", 3, (a, env) -> subbits(a, Args.integer("subbits", a, 1), Args.integer("subbits", a, 2),
                "integer", "unsigned", "big"));
        Functions.register("subbits", 4, (a, env) -> subbits(a, Args.integer("subbits", a, 1), Args.integer("subbits", a, 2),
                Args.str("subbits", a, 3), "unsigned", "big"));
        Functions.register("subbits", 5, (a, env) -> subbits(a, Args.integer("subbits", a, 1), Args.integer("subbits", a, 2),
                Args.str("subbits", a, 3), Args.str("subbits", a, 4), "big"));
        Functions.register("subbits", 6, (a, env) -> subbits(a, Args.integer("subbits", a, 1), Args.integer("subbits", a, 2),
                Args.str("subbits", a, 3), Args.str("subbits", a, 4), Args.str("subbits", a, 5)));
    }

    private static long shift(Object[] a, boolean left) {
        String fn = left ? "bitsl" : "bitsr";
        long x = Args.integer(fn, a, 0);
        long n = Args.integer(fn, a, 1);
        if (n < 0) {
            left = !left;
            n = -n;
        }
        if (left) {
            if (n >= 63 || (x != 0 && (Long.numberOfLeadingZeros(Math.abs(x)) - 1 < n))) {
                throw new RuleEvalException("bitsl(" + x + ", " + n + ") does not fit in a 64-bit integer");
            }
            return x << n;
        }
        return n >= 64 ? (x < 0 ? -1 : 0) : x >> n;
    }

    private static int bitLength(Object[] a, String fn) {
        if (a[0] instanceof BitString b) {
            return b.bits();
        }
        return Args.bin(fn, a, 0).length * 8;
    }

    private static byte[] data(Object v) {
        return v instanceof BitString b ? b.data() : Values.bytes(v);
    }

    static Object subbits(Object[] a, long start, long len, String type, String sign, String endian) {
        if (!Values.isString(a[0]) && !(a[0] instanceof BitString)) {
            throw Args.bad("subbits", a, "argument 1 must be a binary, got " + Values.typeName(a[0]));
        }
        if (!type.equals("integer") && !type.equals("float") && !type.equals("bits")
                || !sign.equals("unsigned") && !sign.equals("signed")
                || !endian.equals("big") && !endian.equals("little")) {
            throw Args.bad("subbits", a, "type must be integer, float or bits; signedness unsigned or signed;"
                    + " endianness big or little");
        }
        byte[] data = data(a[0]);
        int total = bitLength(a, "subbits");
        long begin = start - 1;
        if (begin < 0 || len < 0 || begin >= total) {
            return null;
        }
        int n = (int) Math.min(len, total - begin);
        int from = (int) begin;
        switch (type) {
            case "bits":
                return bits(data, from, n);
            case "float":
                return readFloat(a, data, from, n, endian);
            default:
                return readInteger(data, from, n, sign.equals("signed"), endian.equals("little"));
        }
    }

    private static Object bits(byte[] data, int from, int n) {
        byte[] out = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++) {
            if (bit(data, from + i) != 0) {
                out[i >> 3] |= (byte) (0x80 >>> (i & 7));
            }
        }
        return n % 8 == 0 ? out : new BitString(out, n);
    }

    private static int bit(byte[] data, int i) {
        return (data[i >> 3] >> (7 - (i & 7))) & 1;
    }

    private static Object readInteger(byte[] data, int from, int n, boolean signed, boolean little) {
        byte[] field = (byte[]) (n % 8 == 0 ? bits(data, from, n) : null);
        BigInteger v;
        if (field != null) {
            if (little) {
                for (int i = 0, j = field.length - 1; i < j; i++, j--) {
                    byte t = field[i];
                    field[i] = field[j];
                    field[j] = t;
                }
            }
            v = new BigInteger(1, field);
        } else {
            v = BigInteger.ZERO;
            for (int i = 0; i < n; i++) {
                v = v.shiftLeft(1).or(BigInteger.valueOf(bit(data, from + i)));
            }
        }
        if (signed && n > 0 && v.testBit(n - 1)) {
            v = v.subtract(BigInteger.ONE.shiftLeft(n));
        }
        if (v.bitLength() > 63) {
            return v.doubleValue();
        }
        return v.longValue();
    }

    private static Object readFloat(Object[] a, byte[] data, int from, int n, String endian) {
        if (n != 16 && n != 32 && n != 64) {
            throw Args.bad("subbits", a, "a float is 16, 32 or 64 bits, not " + n);
        }
        long raw = ((Number) readInteger(data, from, n, false, endian.equals("little"))).longValue();
        switch (n) {
            case 64:
                return Double.longBitsToDouble(raw);
            case 32:
                return (double) Float.intBitsToFloat((int) raw);
            default:
                return halfToDouble((int) raw);
        }
    }

    private static double halfToDouble(int h) {
        int sign = (h >> 15) & 1;
        int exp = (h >> 10) & 0x1f;
        int mant = h & 0x3ff;
        double v;
        if (exp == 0) {
            v = mant * Math.pow(2, -24);
        } else if (exp == 31) {
            v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = (1 + mant / 1024.0) * Math.pow(2, exp - 15);
        }
        return sign == 1 ? -v : v;
    }
}
