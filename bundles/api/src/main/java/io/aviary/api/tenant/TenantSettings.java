package io.aviary.api.tenant;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Every limit as a typed setting with a per-tenant override: the broker provides this service,
 * and gateways and plugins ask it instead of reading configuration themselves. Answers come from
 * memory and never block; an override applies at once.
 */
@ProviderType
public interface TenantSettings {

    /**
     * The effective value of setting {@code name} (e.g. max_qos, max_connections) for a tenant:
     * its override, else the node's value (0 for a quota means none).
     *
     * @throws IllegalArgumentException for a setting that does not exist
     */
    long effective(String tenant, String name);

    /** Every setting for the tenant with its value and source; empty for an unknown tenant. */
    List<TenantLimit> limits(String tenant);
}
