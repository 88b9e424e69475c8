package io.aviary.api.auth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The broker's authorization behaviour per tenant and its per-connection answer caches, for the
 * admin API's {@code /authorization/settings} and {@code .../authorization/cache} endpoints. A
 * tenant's settings override the node's ({@code authorization.*} in aviary.conf), apply to
 * connected clients at once and survive a restart.
 */
@ProviderType
public interface AuthzControl {

    /** The tenant's effective settings (its own, else the node's); empty for an unknown tenant. */
    Optional<AuthzSettings> settings(String tenant);

    /**
     * Replaces the tenant's settings.
     *
     * @return the settings as stored, or empty for an unknown tenant
     */
    Optional<AuthzSettings> update(String tenant, AuthzSettings settings);

    /** Empties the cache of every connected client of the tenant; returns how many clients. */
    int clearCache(String tenant);

    /** Empties one connected client's cache; false when the client is not connected. */
    boolean clearCache(String tenant, String clientId);

    /**
     * A connected client's cached answers (read on its own connection's thread), or empty when
     * the client is not connected.
     */
    CompletionStage<Optional<List<AuthzCacheEntry>>> cache(String tenant, String clientId);
}
