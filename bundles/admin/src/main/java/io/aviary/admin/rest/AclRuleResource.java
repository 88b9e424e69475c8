package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.api.auth.AclRuleStore;
import io.aviary.api.auth.AclRuleStore.Rule;
import io.aviary.api.auth.AclRuleStore.Subject;
import io.aviary.api.auth.AclRuleStore.Who;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX 5's {@code /authorization/sources/built_in_database/rules/...}: the authorization rules a
 * plugin keeps for the caller's tenant, per user name, per client id and for all clients
 * (authz-builtin's). The admin API reaches the plugin only through the api's {@link AclRuleStore}
 * service; a tenant that has not enabled the source gets 404, as EMQX answers for a source that
 * is not configured. Status codes and bodies are EMQX's: writes answer 204, a POST naming a
 * user that has rules 409 ALREADY_EXISTS, a list longer than the source's max_rules 400.
 */
@TenantScoped
@Path("authorization/sources/built_in_database/rules")
@Produces(MediaType.APPLICATION_JSON)
public final class AclRuleResource {
    private static final Logger LOG = LoggerFactory.getLogger(AclRuleResource.class);
    static final String TYPE = "built_in_database";
    /** MQTT's longest user name or client id (a UTF-8 string of at most 65,535 bytes). */
    static final int MAX_NAME_BYTES = 65_535;

    private final Services services;

    public AclRuleResource(Services services) {
        this.services = services;
    }

    // ---- users -----------------------------------------------------------------------------

    @GET
    @Path("users")
    @ApiDoc(summary = "The users that have rules, by user name, paged: {data: [{username, rules}], meta};"
            + " filter like_username (substring)", query = {"page", "limit", "like_username"}, notFound = true)
    public JsonObject users(@Context UriInfo uri) {
        return list(Who.USERNAME, uri);
    }

    @POST
    @Path("users")
    @ApiDoc(summary = "Add users' rules, all or none (409 when one already has rules)", status = 204,
            body = "[{username, rules: [{topic, permission, action, qos?, retain?}]}]", notFound = true, also = {409})
    public Response addUsers(JsonArray body) {
        return create(Who.USERNAME, body);
    }

    @GET
    @Path("users/{username}")
    @ApiDoc(summary = "One user's rules: {username, rules}", notFound = true)
    public JsonObject user(@PathParam("username") String username) {
        return one(Who.USERNAME, username);
    }

    @PUT
    @Path("users/{username}")
    @ApiDoc(summary = "Set a user's rules (added if it had none)", status = 204, body = "{username?, rules}",
            notFound = true)
    public Response setUser(@PathParam("username") String username, JsonObject body) {
        return put(Who.USERNAME, username, body);
    }

    @DELETE
    @Path("users/{username}")
    @ApiDoc(summary = "Delete a user's rules", status = 204, notFound = true)
    public Response deleteUser(@PathParam("username") String username) {
        return delete(Who.USERNAME, username);
    }

    // ---- clients ---------------------------------------------------------------------------

    @GET
    @Path("clients")
    @ApiDoc(summary = "The clients that have rules, by client id, paged: {data: [{clientid, rules}], meta};"
            + " filter like_clientid (substring)", query = {"page", "limit", "like_clientid"}, notFound = true)
    public JsonObject clients(@Context UriInfo uri) {
        return list(Who.CLIENTID, uri);
    }

    @POST
    @Path("clients")
    @ApiDoc(summary = "Add clients' rules, all or none (409 when one already has rules)", status = 204,
            body = "[{clientid, rules: [{topic, permission, action, qos?, retain?}]}]", notFound = true, also = {409})
    public Response addClients(JsonArray body) {
        return create(Who.CLIENTID, body);
    }

    @GET
    @Path("clients/{clientid}")
    @ApiDoc(summary = "One client's rules: {clientid, rules}", notFound = true)
    public JsonObject client(@PathParam("clientid") String clientId) {
        return one(Who.CLIENTID, clientId);
    }

    @PUT
    @Path("clients/{clientid}")
    @ApiDoc(summary = "Set a client's rules (added if it had none)", status = 204, body = "{clientid?, rules}",
            notFound = true)
    public Response setClient(@PathParam("clientid") String clientId, JsonObject body) {
        return put(Who.CLIENTID, clientId, body);
    }

    @DELETE
    @Path("clients/{clientid}")
    @ApiDoc(summary = "Delete a client's rules", status = 204, notFound = true)
    public Response deleteClient(@PathParam("clientid") String clientId) {
        return delete(Who.CLIENTID, clientId);
    }

    // ---- all -------------------------------------------------------------------------------

    @GET
    @Path("all")
    @ApiDoc(summary = "The rules for all clients, checked after the client's and the user's: {rules}", notFound = true)
    public JsonObject all() {
        JsonObject out = new JsonObject();
        out.add("rules", AclRuleJson.toJson(store().all(TenantScope.current())));
        return out;
    }

    @POST
    @Path("all")
    @ApiDoc(summary = "Replace the rules for all clients", status = 204, body = "{rules}", notFound = true)
    public Response replaceAll(JsonObject body) {
        AclRuleStore store = store();
        String tenant = TenantScope.current();
        List<Rule> rules = AclRuleJson.rules(body.get("rules"), "rules");
        checkLength(store, tenant, rules, "rules");
        write(() -> store.putAll(tenant, rules));
        LOG.info("admin api: tenant={} {} rules for all clients set", tenant, rules.size());
        return Response.noContent().build();
    }

    @PUT
    @Path("all")
    @ApiDoc(summary = "Replace the rules for all clients (as POST)", status = 204, body = "{rules}", notFound = true)
    public Response putAll(JsonObject body) {
        return replaceAll(body);
    }

    @DELETE
    @Path("all")
    @ApiDoc(summary = "Delete the rules for all clients", status = 204, notFound = true)
    public Response deleteAll() {
        String tenant = TenantScope.current();
        AclRuleStore store = store();
        write(() -> store.putAll(tenant, List.of()));
        LOG.info("admin api: tenant={} rules for all clients deleted", tenant);
        return Response.noContent().build();
    }

    /** EMQX's purge: only while the source is disabled, so a live chain never loses its rules by accident. */
    @DELETE
    @ApiDoc(summary = "Delete every rule (users', clients' and all); the source must be disabled first (else 400)",
            status = 204, notFound = true)
    public Response purge() {
        String tenant = TenantScope.current();
        AuthChains.Member source = AuthzSourcesResource.chain(services).member(tenant, TYPE)
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "'built_in_database' type source is not found"));
        if (source.instance().enabled()) {
            throw ApiException.badRequest("'built_in_database' type source must be disabled before purge");
        }
        AclRuleStore store = store();
        write(() -> store.purge(tenant));
        LOG.info("admin api: tenant={} all built_in_database rules purged", tenant);
        return Response.noContent().build();
    }

    // ---- shared ----------------------------------------------------------------------------

    private JsonObject list(Who who, UriInfo uri) {
        Page paging = Page.of(uri.getQueryParameters().getFirst("page"), uri.getQueryParameters().getFirst("limit"));
        String like = uri.getQueryParameters().getFirst(who == Who.USERNAME ? "like_username" : "like_clientid");
        List<Subject> subjects = store().list(TenantScope.current(), who).stream()
                .filter(s -> like == null || s.name().contains(like)).toList();
        return paging.answer(subjects, s -> toJson(who, s.name(), s.rules()));
    }

    private Response create(Who who, JsonArray body) {
        String key = key(who);
        AclRuleStore store = store();
        String tenant = TenantScope.current();
        Map<String, List<Rule>> subjects = new LinkedHashMap<>();
        for (int i = 0; i < body.size(); i++) {
            String at = "[" + i + "]";
            JsonElement e = body.get(i);
            if (!e.isJsonObject()) {
                throw ApiException.badRequest("field '" + at + "' must be an object {" + key + ", rules}");
            }
            JsonObject o = e.getAsJsonObject();
            String name = name(o.get(key), at + "." + key);
            List<Rule> rules = AclRuleJson.rules(o.get("rules"), at + ".rules");
            checkLength(store, tenant, rules, at + ".rules");
            if (subjects.put(name, rules) != null) {
                throw ApiException.badRequest("field '" + at + "." + key + "': '" + name + "' is given twice");
            }
        }
        List<String> existing = call(() -> store.create(tenant, who, subjects));
        if (!existing.isEmpty()) {
            throw new ApiException(409, "ALREADY_EXISTS", (who == Who.USERNAME ? "User" : "Client") + " '"
                    + String.join(",", existing) + "' already exist");
        }
        LOG.info("admin api: tenant={} built_in_database rules added for {} {}", tenant, subjects.size(),
                who == Who.USERNAME ? "users" : "clients");
        return Response.noContent().build();
    }

    private JsonObject one(Who who, String name) {
        List<Rule> rules = store().get(TenantScope.current(), who, name)
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "Not Found"));
        return toJson(who, name, rules);
    }

    private Response put(Who who, String name, JsonObject body) {
        String key = key(who);
        if (body.has(key) && !body.get(key).isJsonNull() && !name(body.get(key), key).equals(name)) {
            throw ApiException.badRequest("field '" + key + "' must be the " + key + " of the path, '" + name + "'");
        }
        name(new JsonPrimitive(name), key);
        AclRuleStore store = store();
        String tenant = TenantScope.current();
        List<Rule> rules = AclRuleJson.rules(body.get("rules"), "rules");
        checkLength(store, tenant, rules, "rules");
        write(() -> store.put(tenant, who, name, rules));
        LOG.info("admin api: tenant={} built_in_database rules of {} '{}' set ({} rules)", tenant, key, name, rules.size());
        return Response.noContent().build();
    }

    private Response delete(Who who, String name) {
        String tenant = TenantScope.current();
        AclRuleStore store = store();
        if (!call(() -> store.delete(tenant, who, name))) {
            throw ApiException.notFound("NOT_FOUND", (who == Who.USERNAME ? "Username" : "ClientID") + " Not Found");
        }
        LOG.info("admin api: tenant={} built_in_database rules of {} '{}' deleted", tenant, key(who), name);
        return Response.noContent().build();
    }

    private static String key(Who who) {
        return who == Who.USERNAME ? "username" : "clientid";
    }

    private static String name(JsonElement e, String field) {
        if (e == null || e.isJsonNull()) {
            throw ApiException.badRequest("field '" + field + "' is required");
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        String name = e.getAsString();
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw ApiException.badRequest("field '" + field + "' must be 1 to " + MAX_NAME_BYTES + " bytes of UTF-8");
        }
        return name;
    }

    /** EMQX's max_rules, refused with a 400 naming the list before anything is stored. */
    private static void checkLength(AclRuleStore store, String tenant, List<Rule> rules, String field) {
        int max = store.maxRules(tenant);
        if (rules.size() > max) {
            throw ApiException.badRequest("field '" + field + "': " + rules.size() + " rules exceed the source's max_rules ("
                    + max + ")");
        }
    }

    /** A store call: its refusals become 400 (a limit) or 404 (the tenant disabled the source meanwhile). */
    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiException.notFound("NOT_FOUND", e.getMessage());
        }
    }

    private static void write(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    private AclRuleStore store() {
        AclRuleStore store = services.aclRuleStore(TYPE);
        String tenant = TenantScope.current();
        if (store == null || !store.enabled(tenant)) {
            throw ApiException.notFound("NOT_FOUND", "authorization source 'built_in_database' is not enabled for tenant "
                    + tenant + " (POST /api/v5/authorization/sources {\"type\": \"built_in_database\"})");
        }
        return store;
    }

    static JsonObject toJson(Who who, String name, List<Rule> rules) {
        JsonObject o = new JsonObject();
        o.addProperty(key(who), name);
        o.add("rules", AclRuleJson.toJson(rules));
        return o;
    }
}
