package io.aviary.api.tenant;

/**
 * One typed setting as it applies to a tenant, so no tenant is capped silently.
 *
 * @param name         e.g. max_connections, max_qos
 * @param value        the effective value (0 for a quota means none)
 * @param source       where the value comes from: "tenant" (its override), "node" (aviary.conf) or "default"
 * @param defaultValue the built-in default
 * @param nodeValue    the node's value (aviary.conf, or the default)
 * @param min          the smallest value an override may have
 * @param max          the largest value an override may have
 * @param overridable  whether a tenant may override it (PUT /tenants/{id} with quotas)
 * @param description  what it limits, and its unit
 */
public record TenantLimit(String name, long value, String source, long defaultValue, long nodeValue, long min,
                          long max, boolean overridable, String description) {
}
