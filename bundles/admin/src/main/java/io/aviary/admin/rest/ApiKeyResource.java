package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.ApiKey;
import io.aviary.admin.auth.ApiKeyStore;
import io.aviary.admin.auth.Role;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.tenant.Tenant;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's /api_key: create (the secret is returned once), list and show (never the secret),
 * update (expiry, description, enable, role) and delete. Each key has a role (administrator,
 * viewer, publisher) and a tenant scope: a tenant's key sees that tenant only; a key without
 * one is a platform key.
 */
@Path("api_key")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiKeyResource {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyResource.class);

    private final ApiKeyStore store;
    private final Clock clock;
    private final Services services;

    public ApiKeyResource(ApiKeyStore store, Clock clock, Services services) {
        this.services = services;
        this.store = store;
        this.clock = clock;
    }

    @GET
    @ApiDoc(summary = "List API keys (never their secrets)")
    public JsonArray list() {
        JsonArray array = new JsonArray();
        store.list().forEach(key -> array.add(toJson(key)));
        return array;
    }

    @GET
    @Path("{name}")
    @ApiDoc(summary = "One API key", notFound = true)
    public JsonObject get(@PathParam("name") String name) {
        return toJson(store.byName(name).orElseThrow(() -> notFound(name)));
    }

    @POST
    @ApiDoc(summary = "Create an API key; the answer holds api_secret, shown only once", also = 409,
            body = "{name, expired_at?, desc?, enable?, role?: administrator|viewer|publisher, tenant? (a key scoped to"
                    + " one tenant; none = a platform key)}")
    public Response create(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String name = fields.requiredString("name");
        Instant expiredAt = expiry(fields);
        Role role = role(fields, Role.ADMINISTRATOR);
        String tenant = fields.string("tenant", null);
        if (tenant != null && (!Tenant.validId(tenant) || services.tenants().get(tenant).isEmpty())) {
            throw ApiException.badRequest("field 'tenant' must name an existing tenant (or be left out for a"
                    + " platform key), was '" + tenant + "'");
        }
        ApiKeyStore.Created created = store.create(name, expiredAt, fields.string("desc", ""),
                fields.bool("enable", true), role, tenant);
        JsonObject json = toJson(created.key());
        json.addProperty("api_secret", created.secret());
        LOG.info("admin api: api key {} created", name);
        return Response.ok(json).build();
    }

    @PUT
    @Path("{name}")
    @ApiDoc(summary = "Change an API key", notFound = true, body = "{expired_at?, desc?, enable?, role?}")
    public JsonObject update(@PathParam("name") String name, JsonObject body) {
        ApiKey old = store.byName(name).orElseThrow(() -> notFound(name));
        JsonFields fields = JsonFields.of(body);
        Instant expiredAt = fields.has("expired_at") ? expiry(fields) : old.expiredAt();
        Role role = role(fields, old.role());
        store.update(name, expiredAt, fields.string("desc", old.desc()), fields.bool("enable", old.enable()))
                .orElseThrow(() -> notFound(name));
        ApiKey updated = store.changeRole(name, role).orElseThrow(() -> notFound(name));
        LOG.info("admin api: api key {} updated (enable={})", name, updated.enable());
        return toJson(updated);
    }

    @DELETE
    @Path("{name}")
    @ApiDoc(summary = "Delete an API key", status = 204, notFound = true)
    public Response delete(@PathParam("name") String name) {
        if (!store.delete(name)) {
            throw notFound(name);
        }
        LOG.info("admin api: api key {} deleted", name);
        return Response.noContent().build();
    }

    private static Role role(JsonFields fields, Role fallback) {
        if (!fields.has("role")) {
            return fallback;
        }
        return Role.parse(fields.string("role", null)).orElseThrow(() -> ApiException.badRequest(
                "field 'role' must be \"administrator\", \"viewer\" or \"publisher\""));
    }

    /** expired_at: absent, null or "infinity" mean never; otherwise a future RFC 3339 time. */
    private Instant expiry(JsonFields fields) {
        String text = fields.string("expired_at", "infinity");
        if ("infinity".equals(text)) {
            return null;
        }
        Instant at = Rfc3339.parse("expired_at", text);
        if (!at.isAfter(clock.instant())) {
            throw ApiException.badRequest("field 'expired_at' must be in the future");
        }
        return at;
    }

    private JsonObject toJson(ApiKey key) {
        JsonObject o = new JsonObject();
        o.addProperty("name", key.name());
        o.addProperty("api_key", key.apiKey());
        o.addProperty("expired_at", key.expiredAt() == null ? "infinity" : Rfc3339.format(key.expiredAt()));
        o.addProperty("created_at", Rfc3339.format(key.createdAt()));
        o.addProperty("desc", key.desc());
        o.addProperty("enable", key.enable());
        o.addProperty("expired", key.expired(clock.instant()));
        o.addProperty("role", key.role().id());
        o.addProperty("tenant", key.tenant());
        return o;
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("NOT_FOUND", "api key '" + name + "' not found");
    }
}
