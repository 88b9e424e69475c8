package io.aviary.admin.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.admin.error.ApiException;
import java.time.Duration;
import org.junit.Test;

/** Password guessing from one address is stopped for a minute; other addresses are not. */
public class LoginLimiterTest {

    private final MutableClock clock = new MutableClock();
    private final LoginLimiter limiter = new LoginLimiter(clock);

    @Test
    public void tenFailuresBlockTheAddressUntilTheWindowPasses() {
        for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
            limiter.check("10.0.0.1");
            limiter.failed("10.0.0.1");
        }
        try {
            limiter.check("10.0.0.1");
            fail("blocked");
        } catch (ApiException e) {
            assertEquals(429, e.status());
            assertEquals("TOO_MANY_REQUESTS", e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("retry after 60 s"));
        }
        limiter.check("10.0.0.2");
        clock.advance(Duration.ofSeconds(61));
        limiter.check("10.0.0.1");
    }

    @Test
    public void failuresSpreadOverMoreThanAWindowNeverBlock() {
        for (int i = 0; i < 3 * LoginLimiter.MAX_FAILURES; i++) {
            limiter.check("10.0.0.3");
            limiter.failed("10.0.0.3");
            clock.advance(Duration.ofSeconds(7));
        }
    }

    @Test
    public void trackedAddressesAreBounded() {
        for (int i = 0; i < LoginLimiter.MAX_ADDRESSES + 50; i++) {
            limiter.failed("addr-" + i);
        }
        clock.advance(Duration.ofSeconds(61));
        limiter.failed("late");
        for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
            limiter.failed("late");
        }
        try {
            limiter.check("late");
            fail("expired entries were swept, so the new address is tracked and blocked");
        } catch (ApiException e) {
            assertEquals(429, e.status());
        }
    }
}
