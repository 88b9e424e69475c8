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
        List<Authenticator> chain = authenticators.forTenant(request.client().tenant());
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        nextAuthenticator(chain, 0, request, timer, done);
        return done;
    }

    /** Asks one member again (the next step of an enhanced-authentication exchange). */
    public CompletionStage<Outcome> continueWith(Authenticator member, AuthRequest request, ScheduledExecutorService timer) {
        return timed(member.authenticate(request), timer, AuthResult.ignore(), request.client())
                .thenApply(r -> new Outcome(r, member));
    }

    private void nextAuthenticator(List<Authenticator> chain, int i, AuthRequest request,
                                   ScheduledExecutorService timer, CompletableFuture<Outcome> done) {
        if (i >= chain.size()) {
            done.complete(new Outcome(AuthResult.ignore(), null));
            return;
        }
        Authenticator member = chain.get(i);
        CompletionStage<AuthResult> call;
        try {
            call = member.authenticate(request);
        } catch (RuntimeException e) {
            LOG.warn("authenticator {} failed for tenant={} clientid={}", member.getClass().getName(),
                    request.client().tenant(), request.client().clientId(), e);
            call = CompletableFuture.completedFuture(AuthResult.ignore());
        }
        timed(call, timer, AuthResult.ignore(), request.client()).whenComplete((r, e) -> {
            if (r != null && (r.decision() != Decision.IGNORE || r.isChallenge())) {
                done.complete(new Outcome(r, member));
            } else {
                nextAuthenticator(chain, i + 1, request, timer, done);
            }
        });
    }

    /** Asks the tenant's authorizers; all IGNORE (or none) means ALLOW, as EMQX's no_match default. */
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain,
                                               ScheduledExecutorService timer) {
        List<Authorizer> chain = authorizers.forTenant(client.tenant());
        CompletableFuture<Decision> done = new CompletableFuture<>();
        nextAuthorizer(chain, 0, client, action, topic, qos, retain, timer, done);
        return done;
    }

    private void nextAuthorizer(List<Authorizer> chain, int i, ClientInfo client, Action action, String topic, int qos,
                                boolean retain, ScheduledExecutorService timer, CompletableFuture<Decision> done) {
        if (i >= chain.size()) {
            done.complete(Decision.ALLOW);
            return;
        }
        CompletionStage<Decision> call;
        try {
            call = chain.get(i).authorize(client, action, topic, qos, retain);
        } catch (RuntimeException e) {
            LOG.warn("authorizer failed for tenant={} clientid={}", client.tenant(), client.clientId(), e);
            call = CompletableFuture.completedFuture(Decision.IGNORE);
        }
        timed(call, timer, Decision.IGNORE, client).whenComplete((d, e) -> {
            if (d == Decision.ALLOW || d == Decision.DENY) {
                done.complete(d);
            } else {
                nextAuthorizer(chain, i + 1, client, action, topic, qos, retain, timer, done);
            }
        });
    }

    /** The call's result, or {@code onTimeout} when it fails or does not finish in time. */
    private <R> CompletableFuture<R> timed(CompletionStage<R> call, ScheduledExecutorService timer, R onTimeout,
                                          ClientInfo client) {
        CompletableFuture<R> out = new CompletableFuture<>();
        var timeout = timer.schedule(() -> {
            if (out.complete(onTimeout)) {
                LOG.warn("auth call timed out after {} ms for tenant={} clientid={}", timeoutMs, client.tenant(),
                        client.clientId());
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        call.whenComplete((r, e) -> {
            timeout.cancel(false);
            if (e != null) {
                LOG.warn("auth call failed for tenant={} clientid={}: {}", client.tenant(), client.clientId(), e.toString());
            }
            out.complete(e != null || r == null ? onTimeout : r);
        });
        return out;
    }
}
