package io.aviary.admin.auth;

import io.aviary.admin.error.ApiException;
import io.aviary.api.tenant.Tenant;
import io.aviary.api.tenant.Tenants;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.function.Supplier;

/**
 * The tenant a request works in. A key scoped to a tenant works in that tenant only: naming
 * another one ({@code ?tenant=}) answers 404, as if it did not exist, and so does every
 * resource of another tenant (the resources look only in this one). Platform callers (the admin
 * user, tokens, keys without a tenant) work in {@code default} unless {@code ?tenant=} names
 * another existing tenant. Resources read it with {@link #current()}: Jersey runs filters and the
 * resource method of one request on one thread, and the response filter clears it.
 */
@Priority(Priorities.AUTHORIZATION)
public final class TenantScope implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String PARAMETER = "tenant";
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Caller> CALLER = new ThreadLocal<>();
    /** A platform caller that named no tenant: node-wide views (stats, metrics) show the whole node. */
    private static final ThreadLocal<Boolean> NODE = new ThreadLocal<>();

    private final Supplier<Tenants> tenants;
    private final Class<? extends java.lang.annotation.Annotation> marker;

    /** {@code marker}: the annotation of resources that work in one tenant and take {@code ?tenant=}. */
    public TenantScope(Supplier<Tenants> tenants, Class<? extends java.lang.annotation.Annotation> marker) {
        this.tenants = tenants;
        this.marker = marker;
    }

    /** The tenant of the request being served ({@code default} outside a request). */
    public static String current() {
        String t = CURRENT.get();
        return t == null ? Tenant.DEFAULT : t;
    }

    /** The tenant for per-tenant figures, or null for a platform caller that named none (the whole node). */
    public static String currentOrNode() {
        return Boolean.TRUE.equals(NODE.get()) ? null : current();
    }

    /** True when the caller may see every tenant (and manage tenants). */
    public static boolean platform() {
        Caller c = CALLER.get();
        return c == null || c.tenant() == null;
    }

    /** For a tenant named in a body: a scoped caller may only name its own (else 404, as for anything foreign). */
    public static String require(String tenant) {
        if (!platform() && !current().equals(tenant)) {
            throw notFound(tenant);
        }
        return tenant;
    }

    public static ApiException notFound(String tenant) {
        return ApiException.notFound("NOT_FOUND", "tenant '" + tenant + "' not found");
    }

    @Override
    public void filter(ContainerRequestContext request) {
        CURRENT.remove();
        CALLER.remove();
        NODE.remove();
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        if (caller == null) {
            return; // a public endpoint
        }
        CALLER.set(caller);
        if (!scoped(request)) { // node-wide resources (listeners, plugins, api keys, tenants): no ?tenant= here
            CURRENT.set(caller.tenant() != null ? caller.tenant() : Tenant.DEFAULT);
            return;
        }
        String asked = request.getUriInfo().getQueryParameters().getFirst(PARAMETER);
        if (caller.tenant() != null) {
            if (asked != null && !asked.equals(caller.tenant())) {
                throw notFound(asked);
            }
            CURRENT.set(caller.tenant());
            return;
        }
        if (asked == null || asked.isEmpty() || asked.equals(Tenant.DEFAULT)) {
            CURRENT.set(Tenant.DEFAULT);
            if (asked == null || asked.isEmpty()) {
                NODE.set(Boolean.TRUE);
            }
            return;
        }
        if (!Tenant.validId(asked) || tenants.get().get(asked).isEmpty()) {
            throw notFound(asked);
        }
        CURRENT.set(asked);
    }

    /** Whether the matched resource works in one tenant (marked with {@link #marker}). */
    private boolean scoped(ContainerRequestContext request) {
        for (Object resource : request.getUriInfo().getMatchedResources()) {
            if (resource.getClass().isAnnotationPresent(marker)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        CURRENT.remove();
        CALLER.remove();
        NODE.remove();
    }
}
