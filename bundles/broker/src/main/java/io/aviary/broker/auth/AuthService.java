package io.aviary.broker.auth;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a tenant's authentication and authorization chains asynchronously: each member is asked
 * in turn, a member that does not answer within the timeout counts as IGNORE, the first ALLOW,
 * DENY or challenge wins. Nothing here blocks; callers continue on their own event loop.
 */
public final class AuthService {

    private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);

    private final ServiceChain<Authenticator> authenticators = new ServiceChain<>();
    private final ServiceChain<Authorizer> authorizers = new ServiceChain<>();
    private final long timeoutMs;

    /** The chain's answer; {@code from} is the member that answered (asked again for the next AUTH step). */
    public record Outcome(AuthResult result, Authenticator from) {
    }

    public AuthService(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    public ServiceChain<Authenticator> authenticators() {
        return authenticators;
    }

    public ServiceChain<Authorizer> authorizers() {
        return authorizers;
    }

    public boolean hasAuthenticators(String tenant) {
        return !authenticators.isEmpty() && !authenticators.forTenant(tenant).isEmpty();
    }

    public boolean hasAuthorizers(String tenant) {
        return !authorizers.isEmpty() && !authorizers.forTenant(tenant).isEmpty();
    }

    /** Asks the tenant's chain; completes with IGNORE when every member ignored (or timed out). */
    public CompletionStage<Outcome> authenticate(AuthRequest request, ScheduledExecutorService timer) {
        List<ServiceChain.Member<Authenticator>> chain = authenticators.membersOf(request.client().tenant());
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        nextAuthenticator(chain, 0, request, timer, done);
        return done;
    }

    /** Asks one member again (the next step of an enhanced-authentication exchange). */
    public CompletionStage<Outcome> continueWith(Authenticator member, AuthRequest request, ScheduledExecutorService timer) {
        CallMeter meter = authenticators.membersOf(request.client().tenant()).stream()
                .filter(m -> m.service() == member).map(ServiceChain.Member::meter).findFirst().orElse(new CallMeter());
        return offThread(() -> member.authenticate(request), meter, timer, AuthResult.ignore(), request.client())
                .thenApply(r -> new Outcome(r, member));
    }

    private void nextAuthenticator(List<ServiceChain.Member<Authenticator>> chain, int i, AuthRequest request,
                                   ScheduledExecutorService timer, CompletableFuture<Outcome> done) {
        if (i >= chain.size()) {
            done.complete(new Outcome(AuthResult.ignore(), null));
            return;
        }
        ServiceChain.Member<Authenticator> member = chain.get(i);
        offThread(() -> member.service().authenticate(request), member.meter(), timer, AuthResult.ignore(),
                request.client()).whenComplete((r, e) -> {
                    if (r != null && (r.decision() != Decision.IGNORE || r.isChallenge())) {
                        done.complete(new Outcome(r, member.service()));
                    } else {
                        nextAuthenticator(chain, i + 1, request, timer, done);
                    }
                });
    }

    /**
     * Calls an authenticator on the plugin-call pool, so one that blocks before returning its
     * stage stalls no event loop; the timeout then cuts it off like any slow answer. A full pool
     * counts as a failure (IGNORE) rather than queueing without bound.
     */
    private <R> CompletableFuture<R> offThread(java.util.function.Supplier<CompletionStage<R>> call, CallMeter meter,
                                               ScheduledExecutorService timer, R onFailure, ClientInfo client) {
        CompletableFuture<CompletionStage<R>> started = new CompletableFuture<>();
        try {
            PLUGIN_CALLS.execute(() -> {
                try {
                    started.complete(call.get());
                } catch (RuntimeException e) {
                    started.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException full) {
            started.completeExceptionally(full);
        }
        return timed(started.thenCompose(stage -> stage), meter, timer, onFailure, client);
    }

    /** A few daemon threads for authenticator calls; bounded queue (see offThread). */
    private static final java.util.concurrent.ExecutorService PLUGIN_CALLS = new java.util.concurrent.ThreadPoolExecutor(
            2, 8, 30, TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "aviary-plugin-call");
                t.setDaemon(true);
                return t;
            });

    /** An authorization answer and what gave it: a member's source type, or "default" (no member decided: no_match). */
    public record Verdict(Decision decision, String source) {
        static final Verdict NO_MATCH_ALLOW = new Verdict(Decision.ALLOW, "default");
        static final Verdict NO_MATCH_DENY = new Verdict(Decision.DENY, "default");
    }

    /**
     * Asks the tenant's authorizers; when all IGNORE (or there are none) the answer is
     * {@code noMatch}, the tenant's no_match setting (EMQX's default: allow).
     */
    public CompletionStage<Verdict> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain,
                                              Decision noMatch, ScheduledExecutorService timer) {
        List<ServiceChain.Member<Authorizer>> chain = authorizers.membersOf(client.tenant());
        CompletableFuture<Verdict> done = new CompletableFuture<>();
        Verdict fallback = noMatch == Decision.DENY ? Verdict.NO_MATCH_DENY : Verdict.NO_MATCH_ALLOW;
        nextAuthorizer(chain, 0, client, action, topic, qos, retain, fallback, timer, done);
        return done;
    }

    private void nextAuthorizer(List<ServiceChain.Member<Authorizer>> chain, int i, ClientInfo client, Action action,
                                String topic, int qos, boolean retain, Verdict noMatch, ScheduledExecutorService timer,
                                CompletableFuture<Verdict> done) {
        if (i >= chain.size()) {
            done.complete(noMatch);
            return;
        }
        // Authorizers run on the caller's event loop (a thread hop per PUBLISH would cost more than most
        // answers): one must answer from memory or return a pending stage, which the timeout cuts off.
        ServiceChain.Member<Authorizer> member = chain.get(i);
        CompletionStage<Decision> call;
        member.meter().called();
        try {
            call = member.service().authorize(client, action, topic, qos, retain);
        } catch (RuntimeException e) {
            LOG.warn("authorizer {} failed for tenant={} clientid={}", member.name(), client.tenant(), client.clientId(), e);
            call = CompletableFuture.failedFuture(e);
        }
        timedCall(call, member.meter(), timer, Decision.IGNORE, client).whenComplete((d, e) -> {
            if (d == Decision.ALLOW || d == Decision.DENY) {
                done.complete(new Verdict(d, member.source()));
            } else {
                nextAuthorizer(chain, i + 1, client, action, topic, qos, retain, noMatch, timer, done);
            }
        });
    }

    private <R> CompletableFuture<R> timed(CompletionStage<R> call, CallMeter meter, ScheduledExecutorService timer,
                                          R onTimeout, ClientInfo client) {
        meter.called();
        return timedCall(call, meter, timer, onTimeout, client);
    }

    /** The call's result, or {@code onTimeout} when it fails or does not finish in time; metered either way. */
    private <R> CompletableFuture<R> timedCall(CompletionStage<R> call, CallMeter meter, ScheduledExecutorService timer,
                                              R onTimeout, ClientInfo client) {
        long begin = System.nanoTime();
        CompletableFuture<R> out = new CompletableFuture<>();
        // whoever claims first (answer or timer) records its outcome before completing, so the
        // meters are up to date when the chain (and its caller) move on
        java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        var timeout = timer.schedule(() -> {
            if (claimed.compareAndSet(false, true)) {
                meter.timedOut();
                LOG.warn("auth call timed out after {} ms for tenant={} clientid={}", timeoutMs, client.tenant(),
                        client.clientId());
                out.complete(onTimeout);
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        call.whenComplete((r, e) -> {
            timeout.cancel(false);
            if (e != null) {
                LOG.warn("auth call failed for tenant={} clientid={}: {}", client.tenant(), client.clientId(), e.toString());
            }
            if (claimed.compareAndSet(false, true)) {
                meter.answered(System.nanoTime() - begin);
                if (e != null) {
                    meter.failed();
                }
                out.complete(e != null || r == null ? onTimeout : r);
            }
        });
        return out;
    }

    /** Every chain member's call counters of one tenant: plugin.<name>.authenticate.calls, ...authorize.timeouts. */
    public void meters(String tenant, java.util.Map<String, Long> out) {
        for (var m : authenticators.membersOf(tenant)) {
            m.meter().snapshot("plugin." + m.name() + ".authenticate", out);
        }
        for (var m : authorizers.membersOf(tenant)) {
            m.meter().snapshot("plugin." + m.name() + ".authorize", out);
        }
    }
}
