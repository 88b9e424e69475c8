package io.aviary.api.tenant;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The tenant registry, a service of the broker: the platform administrator's view (create,
 * change, suspend, delete) and what the broker resolves devices against. Tenant state survives
 * a restart. The tenant {@code default} always exists (it may be suspended, not deleted).
 */
@ProviderType
public interface Tenants {

    List<Tenant> list();

    Optional<Tenant> get(String id);

    /**
     * Adds a tenant; its id must be new and {@link Tenant#validId valid}.
     *
     * @throws IllegalArgumentException naming the field when the tenant is not acceptable
     * @throws IllegalStateException when the id exists
     */
    Tenant create(Tenant tenant);

    /**
     * Replaces a tenant's name, state, hosts, quotas (and limit overrides) and expiry (not its id or creation time).
     * Suspending it disconnects its clients; a past expiry suspends it.
     *
     * @return the tenant as stored, or empty when there is no such tenant
     * @throws IllegalArgumentException naming the field when the change is not acceptable
     */
    Optional<Tenant> update(Tenant tenant);

    /**
     * Removes a tenant: its clients are disconnected and every record it owns (sessions,
     * subscriptions, queued, retained and delayed messages, bans) is deleted.
     *
     * @return false when there was no such tenant
     * @throws IllegalArgumentException for {@code default}, which cannot be deleted
     */
    boolean delete(String id);

    /**
     * The tenant's metered usage per hour between two instants (epoch ms; the hours that overlap
     * them), oldest first; hours without usage are left out. Empty for an unknown tenant.
     */
    java.util.List<UsageHour> usage(String id, long from, long to);

    /** Every typed setting with its effective value for the tenant and where it comes from; empty for an unknown tenant. */
    java.util.List<TenantLimit> limits(String id);

    /**
     * Counts a refusal made outside the broker for one of the tenant's quotas (the admin API's
     * max_rules and max_integrations), as {@code quota.exceeded.<quota>} in the tenant's metrics,
     * beside the refusals the broker counts itself.
     */
    void refused(String id, String quota);

    /** Meters rule actions the tenant's rules ran (usage metering: billed as rule action executions). */
    void ruleActionsRun(String id, long count);
}
