package io.aviary.rules.internal;

import io.aviary.rules.Json;
import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * Hashes (md5, sha, sha256, hash), compression (gzip, zip = raw deflate, zip_compress = zlib),
 * codecs (base64 with EMQX's options, JSON) and UUIDs. Decompression stops at
 * {@link #MAX_INFLATED} bytes so a small hostile payload cannot exhaust memory.
 */
final class HashCodecFunctions {

    /** The most a decompression function may produce (a zip bomb fails instead of growing). */
    static final int MAX_INFLATED = 16 * 1024 * 1024;

    private HashCodecFunctions() {}

    static void register() {
        Functions.register("md5", 1, (a, env) -> hash(a, "md5", Args.bin("md5", a, 0)));
        Functions.register("sha", 1, (a, env) -> hash(a, "sha", Args.bin("sha", a, 0)));
        Functions.register("sha256", 1, (a, env) -> hash(a, "sha256", Args.bin("sha256", a, 0)));
        Functions.register("hash", 2, (a, env) -> hash(a, Args.str("hash", a, 0), hashInput(a)));

        Functions.register("gzip", 1, (a, env) -> gzip(Args.bin("gzip", a, 0)));
        Functions.register("gunzip", 1, (a, env) -> gunzip(a));
        Functions.register("zip", 1, (a, env) -> deflate(Args.bin("zip", a, 0), true));
        Functions.register("unzip", 1, (a, env) -> inflate(a, "unzip", true));
        Functions.register("zip_compress", 1, (a, env) -> deflate(Args.bin("zip_compress", a, 0), false));
        Functions.register("zip_uncompress", 1, (a, env) -> inflate(a, "zip_uncompress", false));

        Functions.register("base64_encode", 1, (a, env) -> b64encode(a, 1));
        Functions.register("base64_encode", 2, (a, env) -> b64encode(a, 2));
        Functions.register("base64_encode", 3, (a, env) -> b64encode(a, 3));
        Functions.register("base64_decode", 1, (a, env) -> b64decode(a, 1));
        Functions.register("base64_decode", 2, (a, env) -> b64decode(a, 2));
        Functions.register("base64_decode", 3, (a, env) -> b64decode(a, 3));
        Functions.register("json_encode", 1, (a, env) -> Json.encode(a[0]));
        Functions.register("json_decode", 1, (a, env) -> {
            try {
                return Json.decode(Args.bin("json_decode", a, 0));
            } catch (IOException | RuntimeException e) {
                throw Args.bad("json_decode", a, "not JSON: " + e.getMessage());
            }
        });

        Functions.register("uuid_v4", 0, (a, env) -> UUID.randomUUID().toString());
        Functions.register("uuid_v4_no_hyphen", 0, (a, env) -> UUID.randomUUID().toString().replace("-", ""));
    }

    private static byte[] hashInput(Object[] a) {
        Object v = a[1];
        if (v instanceof Boolean) {
            return v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return Args.bin("hash", a, 1);
    }

    private static String hash(Object[] a, String algorithm, byte[] data) {
        String jca;
        switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "md5": jca = "MD5"; break;
            case "sha":
            case "sha1": jca = "SHA-1"; break;
            case "sha224": jca = "SHA-224"; break;
            case "sha256": jca = "SHA-256"; break;
            case "sha384": jca = "SHA-384"; break;
            case "sha512": jca = "SHA-512"; break;
            case "sha3_224": jca = "SHA3-224"; break;
            case "sha3_256": jca = "SHA3-256"; break;
            case "sha3_384": jca = "SHA3-384"; break;
            case "sha3_512": jca = "SHA3-512"; break;
            default:
                throw new RuleEvalException("unknown_hash_algorithm: " + Values.describe(algorithm));
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new RuleEvalException("unknown_hash_algorithm: " + algorithm);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(Object[] a) {
        byte[] data = Args.bin("gunzip", a, 0);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return readBounded(in, "gunzip");
        } catch (IOException e) {
            throw Args.bad("gunzip", a, "not gzip data (" + e.getMessage() + ")");
        }
    }

    private static byte[] readBounded(InputStream in, String fn) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > MAX_INFLATED) {
                throw new RuleEvalException(fn + ": the data inflates to more than " + MAX_INFLATED + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data, boolean raw) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 16);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] inflate(Object[] a, String fn, boolean raw) {
        byte[] data = Args.bin(fn, a, 0);
        Inflater inf = new Inflater(raw);
        try {
            inf.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    if (raw && inf.needsInput()) {
                        break;
                    }
                    throw Args.bad(fn, a, "truncated or invalid compressed data");
                }
                if (out.size() + n > MAX_INFLATED) {
                    throw new RuleEvalException(fn + ": the data inflates to more than " + MAX_INFLATED + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw Args.bad(fn, a, "invalid compressed data (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    private static boolean[] b64opts(Object[] a, int n) {
        boolean noPadding = false;
        boolean urlsafe = false;
        for (int i = 1; i < n; i++) {
            Object o = a[i];
            if (Values.isString(o)) {
                String s = Values.text(o);
                noPadding |= s.equals("no_padding");
                urlsafe |= s.equals("urlsafe");
            }
        }
        return new boolean[] {noPadding, urlsafe};
    }

    private static String b64encode(Object[] a, int n) {
        byte[] data = Args.bin("base64_encode", a, 0);
        boolean[] o = b64opts(a, n);
        Base64.Encoder enc = o[1] ? Base64.getUrlEncoder() : Base64.getEncoder();
        if (o[0]) {
            enc = enc.withoutPadding();
        }
        return enc.encodeToString(data);
    }

    private static byte[] b64decode(Object[] a, int n) {
        String s = Args.str("base64_decode", a, 0);
        boolean[] o = b64opts(a, n);
        if (!o[0] && s.length() % 4 != 0) {
            throw Args.bad("base64_decode", a, "not padded base64 (use 'no_padding')");
        }
        try {
            return (o[1] ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
        } catch (IllegalArgumentException e) {
            throw Args.bad("base64_decode", a, "not base64 (" + e.getMessage() + ")");
        }
    }
}
