package io.aviary.admin.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** Salted PBKDF2 hashes, and the cache that spares repeat requests from recomputing them. */
public class PasswordHashTest {

    @Test
    public void hashMatchesOnlyItsPasswordAndSurvivesItsTextForm() {
        PasswordHash hash = PasswordHash.create("s3cret", 1000);
        PasswordHash parsed = PasswordHash.parse(hash.text());
        assertTrue(parsed.matches("s3cret"));
        assertFalse(parsed.matches("s3cret "));
        assertFalse(hash.text().contains("s3cret"));
    }

    @Test
    public void samePasswordGetsADifferentSaltEachTime() {
        assertNotEquals(PasswordHash.create("p", 1000).text(), PasswordHash.create("p", 1000).text());
    }

    @Test
    public void defaultUsesOneHundredThousandIterations() {
        assertTrue(PasswordHash.create("p").text().startsWith("pbkdf2-sha256$100000$"));
    }

    @Test
    public void garbageHashTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("md5$abc"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("pbkdf2-sha256$0$AA==$AA=="));
    }

    @Test
    public void cacheRemembersSuccessUntilItsTtlAndNeverAcrossHashes() {
        AtomicLong now = new AtomicLong();
        VerifiedCredentials cache = new VerifiedCredentials(now::get);
        PasswordHash hash = PasswordHash.create("pw", 1000);
        assertTrue(cache.verify(hash, hash.text(), "pw"));
        assertFalse(cache.verify(hash, hash.text(), "other"));

        // A cached entry for another stored hash (e.g. a re-created key) must not match.
        PasswordHash other = PasswordHash.create("different", 1000);
        assertFalse(cache.verify(other, other.text(), "pw"));

        now.addAndGet(VerifiedCredentials.TTL_NANOS + 1);
        assertTrue(cache.verify(hash, hash.text(), "pw"));
    }

    @Test
    public void tokenExpiresAfterAnHour() {
        MutableClock clock = new MutableClock();
        TokenStore tokens = new TokenStore(clock);
        String token = tokens.issue("admin");
        assertEquals(TokenStore.Check.VALID, tokens.check(token));
        clock.advance(TokenStore.LIFETIME);
        assertEquals(TokenStore.Check.EXPIRED, tokens.check(token));
        assertEquals(TokenStore.Check.UNKNOWN, tokens.check(token));
    }
}
