package io.aviary.broker;

import io.aviary.api.auth.AuthzCacheEntry;
import io.aviary.api.auth.AuthzControl;
import io.aviary.api.auth.AuthzSettings;
import io.aviary.broker.session.Connection;
import io.aviary.broker.session.Session;
import io.aviary.broker.session.SessionKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AuthzControl} service: a tenant's authorization settings (kept by the tenant
 * registry as the tenant's authz_* overrides, so they persist with it) and its connections'
 * authorization caches, which each connection clears or lists on its own event loop.
 */
public final class AuthzControlService implements AuthzControl {

    private static final Logger LOG = LoggerFactory.getLogger(AuthzControlService.class);

    private final BrokerCore core;

    public AuthzControlService(BrokerCore core) {
        this.core = core;
    }

    @Override
    public Optional<AuthzSettings> settings(String tenant) {
        return core.tenants().find(tenant) == null ? Optional.empty() : Optional.of(core.tenants().authz(tenant));
    }

    @Override
    public Optional<AuthzSettings> update(String tenant, AuthzSettings settings) {
        return core.tenants().updateAuthz(tenant, settings);
    }

    @Override
    public int clearCache(String tenant) {
        int n = 0;
        for (Session s : core.registry().all(tenant)) {
            Connection c = s.connection();
            if (c != null) {
                c.clearAuthzCache();
                n++;
            }
        }
        LOG.info("tenant={} authorization caches cleared ({} clients)", tenant, n);
        return n;
    }

    @Override
    public boolean clearCache(String tenant, String clientId) {
        Connection c = connection(tenant, clientId);
        if (c != null) {
            c.clearAuthzCache();
            LOG.info("tenant={} clientid={} authorization cache cleared", tenant, clientId);
        }
        return c != null;
    }

    @Override
    public CompletionStage<Optional<List<AuthzCacheEntry>>> cache(String tenant, String clientId) {
        Connection c = connection(tenant, clientId);
        return c == null ? CompletableFuture.completedFuture(Optional.empty()) : c.authzCache().thenApply(Optional::of);
    }

    private Connection connection(String tenant, String clientId) {
        Session s = core.registry().get(new SessionKey(tenant, clientId));
        return s == null ? null : s.connection();
    }
}
