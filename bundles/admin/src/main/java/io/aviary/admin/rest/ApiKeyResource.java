package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.ApiKey;
import io.aviary.admin.auth.ApiKeyStore;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
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
 * update (expiry, description, enable) and delete.
 */
@Path("api_key")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiKeyResource {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyResource.class);

    private final ApiKeyStore store;
    private final Clock clock;

    public ApiKeyResource(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @GET
    public JsonArray list() {
        JsonArray array = new JsonArray();
        store.list().forEach(key -> array.add(toJson(key)));
        return array;
    }

    @GET
    @Path("{name}")
    public JsonObject get(@PathParam("name") String name) {
        return toJson(store.byName(name).orElseThrow(() -> notFound(name)));
    }

    @POST
    public Response create(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String name = fields.requiredString("name");
        Instant expiredAt = expiry(fields);
        ApiKeyStore.Created created = store.create(name, expiredAt, fields.string("desc", ""),
                fields.bool("enable", true));
        JsonObject json = toJson(created.key());
        json.addProperty("api_secret", created.secret());
        LOG.info("admin api: api key {} created", name);
        return Response.ok(json).build();
    }

    @PUT
    @Path("{name}")
    public JsonObject update(@PathParam("name") String name, JsonObject body) {
        ApiKey old = store.byName(name).orElseThrow(() -> notFound(name));
        JsonFields fields = JsonFields.of(body);
        Instant expiredAt = fields.has("expired_at") ? expiry(fields) : old.expiredAt();
        ApiKey updated = store.update(name, expiredAt, fields.string("desc", old.desc()),
                fields.bool("enable", old.enable())).orElseThrow(() -> notFound(name));
        LOG.info("admin api: api key {} updated (enable={})", name, updated.enable());
        return toJson(updated);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        if (!store.delete(name)) {
            throw notFound(name);
        }
        LOG.info("admin api: api key {} deleted", name);
        return Response.noContent().build();
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
        return o;
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("NOT_FOUND", "api key '" + name + "' not found");
    }
}
