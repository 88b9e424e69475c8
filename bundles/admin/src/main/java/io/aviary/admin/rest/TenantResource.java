package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.admin.json.JsonValues;
import io.aviary.api.plugin.PluginInstance;
import io.aviary.api.plugin.PluginManager;
import io.aviary.api.tenant.Tenant;
import io.aviary.api.tenant.TenantLimit;
import io.aviary.api.tenant.TenantState;
import io.aviary.api.tenant.UsageHour;
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
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant management for platform administrators: list, create, show, change (name, state,
 * host names, quotas, expiry) and delete with {@code ?confirm=true}; and each tenant's plugin
 * instances. A key scoped to a tenant sees its own tenant only (others answer 404), manages its
 * own plugin instances, and changes nothing else (403).
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
        deleteIntegrations(id);
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

    /** And its connectors, actions (with their buffered records) and sources. */
    private void deleteIntegrations(String id) {
        try {
            services.integrations().deleteAll(id);
        } catch (ApiException notRunning) {
            LOG.warn("admin api: tenant={} deleted but its data integrations were not: the runtime is not running", id);
        }
    }

    // ---- typed settings

    @GET
    @Path("{id}/limits")
    @ApiDoc(summary = "Every quota and protocol limit with its effective value for the tenant and its source"
            + " (tenant override, node config or default), so no tenant is capped silently", notFound = true)
    public JsonArray limits(@PathParam("id") String id) {
        visible(id);
        JsonArray out = new JsonArray();
        for (TenantLimit l : services.tenants().limits(id)) {
            JsonObject o = new JsonObject();
            o.addProperty("name", l.name());
            o.addProperty("value", l.value());
            o.addProperty("source", l.source());
            o.addProperty("default", l.defaultValue());
            o.addProperty("node", l.nodeValue());
            o.addProperty("min", l.min());
            o.addProperty("max", l.max());
            o.addProperty("overridable", l.overridable());
            o.addProperty("description", l.description());
            out.add(o);
        }
        return out;
    }

    // ---- capacity

    private final CapacityEstimator capacity = new CapacityEstimator();

    @GET
    @Path("{id}/capacity")
    @ApiDoc(summary = "Capacity estimate: the node's measured cost per message and per session, its capacity and"
            + " headroom at 70 % utilisation, the tenant's share and the nodes it would need (docs/capacity.md)",
            notFound = true)
    public JsonObject capacity(@PathParam("id") String id) {
        visible(id);
        return capacity.estimate(id, services.queries().stats(null), services.queries().stats(id));
    }

    // ---- usage metering

    @GET
    @Path("{id}/usage")
    @ApiDoc(summary = "Metered usage per hour (session-minutes, message bytes in and out) between from and to"
            + " (RFC 3339 or epoch seconds; default the last 24 hours), with totals", notFound = true,
            query = {"from", "to"})
    public JsonObject usage(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        visible(id);
        long now = System.currentTimeMillis();
        long end = to == null ? now : instant("to", to);
        long start = from == null ? end - 86_400_000L : instant("from", from);
        if (start > end) {
            throw ApiException.badRequest("query parameter 'from' must not be after 'to'");
        }
        JsonArray hours = new JsonArray();
        double minutes = 0;
        long in = 0;
        long out = 0;
        long actions = 0;
        for (UsageHour h : services.tenants().usage(id, start, end)) {
            JsonObject o = new JsonObject();
            o.addProperty("hour", Rfc3339.format(Instant.ofEpochMilli(h.hourStart())));
            o.addProperty("session_minutes", Math.round(h.sessionMinutes() * 100) / 100.0);
            o.addProperty("bytes_in", h.bytesIn());
            o.addProperty("bytes_out", h.bytesOut());
            o.addProperty("rule_actions", h.ruleActions());
            hours.add(o);
            actions += h.ruleActions();
            minutes += h.sessionMinutes();
            in += h.bytesIn();
            out += h.bytesOut();
        }
        JsonObject total = new JsonObject();
        total.addProperty("session_minutes", Math.round(minutes * 100) / 100.0);
        total.addProperty("bytes_in", in);
        total.addProperty("bytes_out", out);
        total.addProperty("rule_actions", actions);
        JsonObject o = new JsonObject();
        o.addProperty("tenant", id);
        o.addProperty("from", Rfc3339.format(Instant.ofEpochMilli(start)));
        o.addProperty("to", Rfc3339.format(Instant.ofEpochMilli(end)));
        o.add("hours", hours);
        o.add("total", total);
        return o;
    }

    private static long instant(String name, String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() <= 12) {
            return Long.parseLong(text) * 1000;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an RFC 3339 time or epoch seconds");
        }
    }

    // ---- a tenant's plugin instances (its auth backends, sinks, gateways)

    @GET
    @Path("{id}/plugins")
    @ApiDoc(summary = "The tenant's plugin instances with their status (starting, running, failed with its error)",
            notFound = true)
    public JsonArray plugins(@PathParam("id") String id) {
        visible(id);
        JsonArray array = new JsonArray();
        services.pluginManager().instances(id).forEach(i -> array.add(PluginJson.instance(i)));
        return array;
    }

    @POST
    @Path("{id}/plugins")
    @ApiDoc(summary = "Enable a plugin for the tenant: the config is checked against the plugin's JSON Schema (400"
            + " naming the field, nothing started), then the instance is created and its bundle started; 201",
            status = 201, notFound = true, body = "{plugin, config: {}}")
    public Response enablePlugin(@PathParam("id") String id, JsonObject body) {
        visible(id);
        JsonFields fields = JsonFields.of(body);
        String plugin = fields.requiredString("plugin");
        Map<String, Object> config = pluginConfig(fields);
        PluginManager manager = services.pluginManager();
        PluginInstance instance = PluginInstanceResource.call(() -> manager.createInstance(plugin, id, config),
                "plugin '" + plugin + "'");
        LOG.info("admin api: tenant={} enabled plugin {} as instance {}", id, plugin, instance.id());
        return Response.created(URI.create("tenants/" + id + "/plugins/" + instance.id()))
                .entity(PluginJson.instance(instance)).build();
    }

    @PUT
    @Path("{id}/plugins/{instance}")
    @ApiDoc(summary = "Replace the config of one of the tenant's plugin instances", notFound = true, body = "{config}")
    public JsonObject reconfigurePlugin(@PathParam("id") String id, @PathParam("instance") String instance,
                                        JsonObject body) {
        ownInstance(id, instance);
        JsonFields fields = JsonFields.of(body);
        if (!fields.has("config")) {
            throw ApiException.badRequest("field 'config' is required");
        }
        Map<String, Object> config = pluginConfig(fields);
        PluginManager manager = services.pluginManager();
        PluginInstance updated = PluginInstanceResource.call(() -> manager.updateInstance(instance, config),
                "plugin instance '" + instance + "'");
        LOG.info("admin api: tenant={} reconfigured plugin instance {}", id, instance);
        return PluginJson.instance(updated);
    }

    @DELETE
    @Path("{id}/plugins/{instance}")
    @ApiDoc(summary = "Remove one of the tenant's plugin instances; the plugin's bundle stops with its last instance",
            status = 204, notFound = true)
    public Response disablePlugin(@PathParam("id") String id, @PathParam("instance") String instance) {
        ownInstance(id, instance);
        if (!services.pluginManager().deleteInstance(instance)) {
            throw ApiException.notFound("NOT_FOUND", "plugin instance '" + instance + "' not found");
        }
        LOG.info("admin api: tenant={} removed plugin instance {}", id, instance);
        return Response.noContent().build();
    }

    private void ownInstance(String tenant, String instance) {
        visible(tenant);
        boolean own = services.pluginManager().instances(tenant).stream().anyMatch(i -> i.id().equals(instance));
        if (!own) {
            throw ApiException.notFound("NOT_FOUND", "plugin instance '" + instance + "' not found");
        }
    }

    private static Map<String, Object> pluginConfig(JsonFields fields) {
        JsonObject config = fields.object("config");
        return config == null ? Map.of() : JsonValues.toMap(config, "config");
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
