package io.aviary.api.tenant;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One tenant: an isolated namespace of client ids, topics, sessions, retained messages, bans,
 * rules and plugin instances.
 *
 * @param id        lower-case letters, digits, '-' and '_', 1 to 64 characters; the key every
 *                  record of the tenant starts with, and the {@code <tenant>} of
 *                  {@code user@<tenant>} and of the SNI host name {@code <tenant>.<domain>}
 * @param name      a display name
 * @param state     active, or suspended (its clients are disconnected and refused, its data kept)
 * @param hosts     further TLS SNI host names that resolve to this tenant
 * @param quotas    quota name to limit (0 = none), e.g. max_connections
 * @param createdAt epoch ms
 * @param expiresAt epoch ms when a trial ends and the tenant is suspended, or 0 for never
 */
public record Tenant(String id, String name, TenantState state, List<String> hosts, Map<String, Long> quotas,
                     long createdAt, long expiresAt) {

    /** The tenant of single-tenant use: clients that name no tenant belong to it. */
    public static final String DEFAULT = "default";
    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");

    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        name = name == null ? id : name;
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        quotas = quotas == null ? Map.of() : Map.copyOf(quotas);
    }

    /** True for a well-formed tenant id (what {@code user@<tenant>} and SNI names may carry). */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The limit of a quota, or 0 when the tenant has none. */
    public long quota(String name) {
        Long limit = quotas.get(name);
        return limit == null ? 0 : limit;
    }

    public boolean active() {
        return state == TenantState.ACTIVE;
    }
}
