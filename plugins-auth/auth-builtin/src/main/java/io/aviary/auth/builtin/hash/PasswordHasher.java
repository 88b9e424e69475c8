package io.aviary.auth.builtin.hash;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Hashes and checks passwords the way EMQX's built-in database does, so users exported from
 * EMQX (hash and salt) check here unchanged: digests are lower-case hex of salt+password or
 * password+salt, the salt a 32 hex-digit random string; bcrypt is the modular crypt string
 * ({@code $2b$10$...}); pbkdf2 is the hex of PBKDF2-HMAC over the salt's UTF-8 bytes.
 * Comparisons take constant time.
 */
public final class PasswordHasher {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored hash and its salt ("" for bcrypt, whose salt lives in the hash). */
    public record Hashed(String hash, String salt) {
    }

    private PasswordHasher() {
    }

    public static Hashed hash(HashSpec spec, byte[] password) {
        switch (spec.name()) {
            case "bcrypt" -> {
                byte[] salt = new byte[16];
                RANDOM.nextBytes(salt);
                return new Hashed(OpenBSDBCrypt.generate("2b", password, salt, spec.saltRounds()), "");
            }
            case "plain" -> {
                return new Hashed(new String(password, StandardCharsets.UTF_8), "");
            }
            default -> {
                byte[] random = new byte[16];
                RANDOM.nextBytes(random);
                String salt = spec.name().equals("pbkdf2") || !spec.saltPosition().equals("disable")
                        ? HexFormat.of().formatHex(random) : "";
                return new Hashed(compute(spec, password, salt), salt);
            }
        }
    }

    public static boolean check(HashSpec spec, String storedHash, String salt, byte[] password) {
        if (password == null || storedHash == null) {
            return false;
        }
        if (spec.name().equals("bcrypt")) {
            try {
                return OpenBSDBCrypt.checkPassword(storedHash, password);
            } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException e) {
                return false; // a malformed stored hash or an over-long password never matches
            }
        }
        byte[] computed = compute(spec, password, salt == null ? "" : salt).getBytes(StandardCharsets.UTF_8);
        byte[] expected = (spec.name().equals("plain") ? storedHash : storedHash.toLowerCase(java.util.Locale.ROOT))
                .getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(computed, expected);
    }

    private static String compute(HashSpec spec, byte[] password, String salt) {
        try {
            switch (spec.name()) {
                case "plain":
                    return new String(password, StandardCharsets.UTF_8);
                case "pbkdf2": {
                    String alg = spec.macFun().equals("sha512") ? "PBKDF2WithHmacSHA512" : "PBKDF2WithHmacSHA256";
                    int bits = (spec.dkLength() > 0 ? spec.dkLength() : spec.macFun().equals("sha512") ? 64 : 32) * 8;
                    char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
                    PBEKeySpec keySpec = new PBEKeySpec(chars, salt.getBytes(StandardCharsets.UTF_8), spec.iterations(), bits);
                    return HexFormat.of().formatHex(SecretKeyFactory.getInstance(alg).generateSecret(keySpec).getEncoded());
                }
                default: {
                    MessageDigest md = MessageDigest.getInstance(switch (spec.name()) {
                        case "md5" -> "MD5";
                        case "sha" -> "SHA-1";
                        case "sha256" -> "SHA-256";
                        case "sha512" -> "SHA-512";
                        default -> throw new IllegalArgumentException("unknown algorithm " + spec.name());
                    });
                    byte[] saltBytes = salt.getBytes(StandardCharsets.UTF_8);
                    if (spec.saltPosition().equals("prefix")) {
                        md.update(saltBytes);
                    }
                    md.update(password);
                    if (spec.saltPosition().equals("suffix")) {
                        md.update(saltBytes);
                    }
                    return HexFormat.of().formatHex(md.digest());
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + spec.name(), e);
        }
    }
}
