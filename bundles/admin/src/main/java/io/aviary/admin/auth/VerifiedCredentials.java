package io.aviary.admin.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, for a few minutes, that a (stored hash, presented secret) pair was verified, so
 * Basic auth does not pay a 100k-iteration PBKDF2 on every request. Entries are keyed by an
 * HMAC under a random per-process key: the cache never holds a password or anything that
 * can be checked offline. The stored hash is part of the key, so a changed or re-created
 * credential never matches an old entry. Failures are not cached. Bounded in size.
 */
public final class VerifiedCredentials {

    static final long TTL_NANOS = 5L * 60 * 1_000_000_000L;
    private static final int MAX_ENTRIES = 4096;

    private final SecretKeySpec key;
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public VerifiedCredentials() {
        this(System::nanoTime);
    }

    VerifiedCredentials(LongSupplier nanoClock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.nanoClock = nanoClock;
    }

    /** True when the secret matches the hash, from the cache or by computing the hash. */
    public boolean verify(PasswordHash stored, String storedText, String presented) {
        String entry = entryKey(storedText, presented);
        Long expiry = expiries.get(entry);
        long now = nanoClock.getAsLong();
        if (expiry != null && expiry - now > 0) {
            return true;
        }
        if (!stored.matches(presented)) {
            return false;
        }
        remember(entry, now);
        return true;
    }

    private void remember(String entry, long now) {
        if (expiries.size() >= MAX_ENTRIES) {
            expiries.values().removeIf(expiry -> expiry - now <= 0);
            if (expiries.size() >= MAX_ENTRIES) {
                expiries.clear();
            }
        }
        expiries.put(entry, now + TTL_NANOS);
    }

    private String entryKey(String storedText, String presented) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(storedText.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(presented.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
