package io.aviary.broker.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;

/** Calls into auth plugins are metered per tenant, and one that blocks is cut off without holding the caller. */
public class AuthServiceTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AuthService auth = new AuthService(200);
    private final CountDownLatch release = new CountDownLatch(1);

    @After
    public void stop() {
        release.countDown();
        timer.shutdownNow();
    }

    private static AuthRequest request() {
        return new AuthRequest(new ClientInfo("t", "dev", "u", null, "mqtt", 5, "tcp:default", null, null, null), "u",
                null, null, null);
    }

    @Test
    public void anAuthenticatorThatBlocksIsCutOffByTheTimeoutAndCountedWhileTheCallerGoesOn() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        Authenticator blocking = req -> {
            try {
                release.await(10, TimeUnit.SECONDS); // a badly written plugin: blocks before returning its stage
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            returned.set(true);
            return CompletableFuture.completedFuture(AuthResult.allow(false));
        };
        Authenticator next = req -> CompletableFuture.completedFuture(AuthResult.deny(0x86, "no"));
        auth.authenticators().add(blocking, Map.of("tenant", "t", "service.pid", "blocking.1", "service.ranking", 10));
        auth.authenticators().add(next, Map.of("tenant", "t", "service.pid", "next.1"));

        var outcome = auth.authenticate(request(), timer).toCompletableFuture();
        AuthService.Outcome o = outcome.get(5, TimeUnit.SECONDS);
        assertEquals("the chain moved on to the next member", Decision.DENY, o.result().decision());
        assertTrue("the caller went on while the plugin still blocks", !returned.get());

        Map<String, Long> meters = new HashMap<>();
        auth.meters("t", meters);
        assertEquals(1L, (long) meters.get("plugin.blocking.1.authenticate.calls"));
        assertEquals(1L, (long) meters.get("plugin.blocking.1.authenticate.timeouts"));
        assertEquals(1L, (long) meters.get("plugin.next.1.authenticate.calls"));
        assertEquals(0L, (long) meters.get("plugin.next.1.authenticate.timeouts"));
        meters.clear();
        auth.meters("other", meters);
        assertTrue("another tenant has no meters of t's plugins", meters.isEmpty());
    }
}
