package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.tenant.Tenant;
import io.aviary.api.tenant.TenantState;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant management for platform administrators: list, create, show, change (name, state,
 * host names, quotas, expiry) and delete with {@code ?confirm=true}. A key scoped to a tenant
 * sees its own tenant only (others answer 404) and changes nothing (403).
 */
@Path("tenants")
@Produces(MediaType.APPLICATION_JSON)
public final class TenantResource {

    private static final Logger LOG = LoggerFactory.getLogger(TenantResource.class);

    private final Services services;

    public TenantResource(Services services) {
        this.services = services;
    }

    @GET
    @ApiDoc(summary = "The tenants (a tenant's own key sees only its tenant), paged", query = {"page", "limit"})
    public JsonObject list(@QueryParam("page") String page, @QueryParam("limit") String limit) {
        List<Tenant> visible = services.tenants().list().stream()
                .filter(t -> TenantScope.platform() || t.id().equals(TenantScope.current())).toList();
        return Page.of(page, limit).answer(visible, TenantResource::toJson);
    }

    @POST
    @ApiDoc(summary = "Create a tenant", also = 409, body = "{id, name?, state?: active|suspended, hosts?: [host],"
            + " quotas?: {max_connections, max_sessions, ...}, expires_at? (RFC 3339, epoch seconds or null)}")
    public Response create(JsonObject body) {
        platformOnly();
        JsonFields fields = JsonFields.of(body);
        String id = fields.requiredString("id");
        Tenant wanted = fromJson(id, body, null);
        try {
            Tenant created = services.tenants().create(wanted);
            LOG.info("admin api: tenant={} created", id);
            return Response.ok(toJson(created)).build();
        } catch (IllegalStateException exists) {
            throw new ApiException(409, "ALREADY_EXISTS", "tenant '" + id + "' already exists");
        } catch (IllegalArgumentException bad) {
            throw ApiException.badRequest(bad.getMessage());
        }
    }

    @GET
    @Path("{id}")
    @ApiDoc(summary = "One tenant", notFound = true)
    public JsonObject get(@PathParam("id") String id) {
        return toJson(visible(id));
    }

    @PUT
    @Path("{id}")
    @ApiDoc(summary = "Change a tenant (fields left out keep their value); suspending it disconnects its clients",
            notFound = true, body = "{name?, state?, hosts?, quotas?, expires_at?}")
    public JsonObject update(@PathParam("id") String id, JsonObject body) {
        platformOnly();
        Tenant old = visible(id);
        try {
            Tenant updated = services.tenants().update(fromJson(id, body, old)).orElseThrow(() -> notFound(id));
            LOG.info("admin api: tenant={} updated", id);
            return toJson(updated);
        } catch (IllegalArgumentException bad) {
            throw ApiException.badRequest(bad.getMessage());
        }
    }

    @DELETE
    @Path("{id}")
    @ApiDoc(summary = "Delete a tenant: its clients are disconnected and all its data removed; needs ?confirm=true",
            status = 204, notFound = true, query = {"confirm"})
    public Response delete(@PathParam("id") String id, @QueryParam("confirm") String confirm) {
        platformOnly();
        visible(id);
        if (!"true".equals(confirm)) {
            throw ApiException.badRequest("query parameter 'confirm' must be true: deleting tenant '" + id
                    + "' disconnects its clients and removes all its data");
        }
        try {
            if (!services.tenants().delete(id)) {
                throw notFound(id);
            }
        } catch (IllegalArgumentException bad) {
            throw ApiException.badRequest(bad.getMessage());
        }
        deleteRules(id);
        LOG.info("admin api: tenant={} deleted", id);
        return Response.noContent().build();
    }

    /** A deleted tenant's rules go too, so a new tenant of the same id never inherits them. */
    private void deleteRules(String id) {
        try {
            services.rules().deleteAll(id);
        } catch (ApiException rulesNotRunning) {
            LOG.warn("admin api: tenant={} deleted but its rules were not: the rule engine is not running", id);
        }
    }

    private Tenant visible(String id) {
        if (!TenantScope.platform() && !TenantScope.current().equals(id)) {
            throw notFound(id);
        }
        return services.tenants().get(id).orElseThrow(() -> notFound(id));
    }

    private static void platformOnly() {
        if (!TenantScope.platform()) {
            throw new ApiException(403, "FORBIDDEN", "only platform administrators manage tenants");
        }
    }

    private static ApiException notFound(String id) {
        return TenantScope.notFound(id);
    }

    /** The tenant the body describes; fields it leaves out come from {@code old} (or the defaults). */
    private static Tenant fromJson(String id, JsonObject body, Tenant old) {
        JsonFields fields = JsonFields.of(body);
        String name = fields.string("name", old == null ? id : old.name());
        TenantState state = old == null ? TenantState.ACTIVE : old.state();
        if (fields.has("state")) {
            state = switch (fields.string("state", "")) {
                case "active" -> TenantState.ACTIVE;
                case "suspended" -> TenantState.SUSPENDED;
                default -> throw ApiException.badRequest("field 'state' must be \"active\" or \"suspended\"");
            };
        }
        List<String> hosts = old == null ? List.of() : old.hosts();
        if (body.has("hosts")) {
            hosts = strings(body.get("hosts"));
        }
        Map<String, Long> quotas = old == null ? Map.of() : old.quotas();
        if (body.has("quotas")) {
            quotas = quotas(body.get("quotas"));
        }
        long expiresAt = old == null ? 0 : old.expiresAt();
        if (body.has("expires_at")) {
            expiresAt = expiry(body.get("expires_at"));
        }
        return new Tenant(id, name, state, hosts, quotas, old == null ? 0 : old.createdAt(), expiresAt);
    }

    private static List<String> strings(JsonElement value) {
        if (!value.isJsonArray()) {
            throw ApiException.badRequest("field 'hosts' must be an array of host names");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement e : value.getAsJsonArray()) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw ApiException.badRequest("field 'hosts' must be an array of host names");
            }
            out.add(e.getAsString());
        }
        return out;
    }

    private static Map<String, Long> quotas(JsonElement value) {
        if (!value.isJsonObject()) {
            throw ApiException.badRequest("field 'quotas' must be an object of quota names to limits");
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            try {
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                    throw new NumberFormatException();
                }
                out.put(e.getKey(), v.getAsBigDecimal().longValueExact());
            } catch (NumberFormatException | ArithmeticException notWhole) {
                throw ApiException.badRequest("field 'quotas." + e.getKey() + "' must be a whole number");
            }
        }
        return out;
    }

    /** RFC 3339, epoch seconds, or null for never. */
    private static long expiry(JsonElement value) {
        if (value.isJsonNull()) {
            return 0;
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            try {
                return Math.multiplyExact(value.getAsBigDecimal().longValueExact(), 1000L);
            } catch (ArithmeticException e) {
                throw ApiException.badRequest("field 'expires_at' must be whole epoch seconds");
            }
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return Rfc3339.parse("expires_at", value.getAsString()).toEpochMilli();
        }
        throw ApiException.badRequest("field 'expires_at' must be an RFC 3339 time, epoch seconds or null");
    }

    static JsonObject toJson(Tenant t) {
        JsonObject o = new JsonObject();
        o.addProperty("id", t.id());
        o.addProperty("name", t.name());
        o.addProperty("state", t.state() == TenantState.ACTIVE ? "active" : "suspended");
        JsonArray hosts = new JsonArray();
        t.hosts().forEach(hosts::add);
        o.add("hosts", hosts);
        JsonObject quotas = new JsonObject();
        t.quotas().forEach(quotas::addProperty);
        o.add("quotas", quotas);
        o.addProperty("created_at", Rfc3339.formatMillis(t.createdAt()));
        o.addProperty("expires_at", t.expiresAt() == 0 ? null : Rfc3339.format(Instant.ofEpochMilli(t.expiresAt())));
        return o;
    }
}
