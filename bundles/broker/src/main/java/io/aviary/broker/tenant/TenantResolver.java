package io.aviary.broker.tenant;

import io.aviary.api.tenant.Tenant;

/**
 * Which tenant a connecting device belongs to, in DESIGN.md's order: the listener's tenant when
 * the listener is bound to one; else the TLS SNI host name ({@code <tenant>.<sni_domain>}, or a
 * host a tenant claimed); else a user name {@code <user>@<tenant>} (the device then authenticates
 * as {@code <user>} in that tenant); else {@code default}, unless it is disabled. An unknown or
 * suspended tenant is refused, and the refusal says nothing about which tenants exist.
 *
 * @param sniDomain       the domain under which {@code <tenant>.<domain>} names tenants; "" = none
 * @param usernameSuffix  whether {@code user@tenant} names a tenant
 * @param defaultEnabled  whether clients that name no tenant belong to {@code default}
 */
public record TenantResolver(TenantRegistry registry, String sniDomain, boolean usernameSuffix,
                             boolean defaultEnabled) {

    /** The tenant and the user name as the tenant sees it; {@code tenant} is null when refused. */
    public record Resolution(String tenant, String username) {
        public boolean refused() {
            return tenant == null;
        }
    }

    private static final Resolution REFUSED = new Resolution(null, null);

    /** {@code listenerTenant}: "" for a listener bound to no tenant; {@code sniHost}: lower case or null. */
    public Resolution resolve(String listenerTenant, String sniHost, String username) {
        if (listenerTenant != null && !listenerTenant.isEmpty()) {
            return admit(listenerTenant, username);
        }
        if (sniHost != null) {
            if (!sniDomain.isEmpty() && sniHost.endsWith("." + sniDomain)) {
                String label = sniHost.substring(0, sniHost.length() - sniDomain.length() - 1);
                return Tenant.validId(label) ? admit(label, username) : REFUSED;
            }
            Tenant owner = registry.byHost(sniHost);
            if (owner != null) {
                return admit(owner.id(), username);
            }
        }
        if (usernameSuffix && username != null) {
            int at = username.lastIndexOf('@');
            // "alice@example.com" (a dot: no tenant id) stays a plain user name of the default tenant
            if (at > 0 && Tenant.validId(username.substring(at + 1))) {
                return admit(username.substring(at + 1), username.substring(0, at));
            }
        }
        return defaultEnabled ? admit(Tenant.DEFAULT, username) : REFUSED;
    }

    private Resolution admit(String id, String username) {
        Tenant t = registry.find(id);
        return t != null && t.active() ? new Resolution(id, username) : REFUSED;
    }
}
