package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.admin.json.JsonValues;
import io.aviary.api.plugin.PluginInstance;
import io.aviary.api.plugin.PluginManager;
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
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's instances of plugins (Config Admin factory configurations behind the plugin
 * manager): list, show, create, reconfigure, delete. The plugin manager validates the
 * configuration against the plugin's schema; its IllegalArgumentException (naming the field)
 * becomes a 400 and its NoSuchElementException a 404.
 */
@Path("plugin_instances")
@Produces(MediaType.APPLICATION_JSON)
public final class PluginInstanceResource {

    private static final Logger LOG = LoggerFactory.getLogger(PluginInstanceResource.class);
    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Services services;

    public PluginInstanceResource(Services services) {
        this.services = services;
    }

    @GET
    @ApiDoc(summary = "Plugin instances, optionally of one tenant")
    public JsonArray list(@QueryParam("tenant") String tenant) {
        if (tenant != null) {
            TenantScope.require(checkTenant(tenant));
        } else if (!TenantScope.platform()) {
            tenant = TenantScope.current(); // a tenant's key lists its own instances only
        }
        JsonArray array = new JsonArray();
        services.pluginManager().instances(tenant).forEach(i -> array.add(PluginJson.instance(i)));
        return array;
    }

    @GET
    @Path("{id}")
    @ApiDoc(summary = "One plugin instance", notFound = true)
    public JsonObject get(@PathParam("id") String id) {
        return PluginJson.instance(find(services.pluginManager(), id));
    }

    @POST
    @ApiDoc(summary = "Create a plugin instance for a tenant; 201", status = 201, body = "{plugin, tenant, config}")
    public Response create(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String plugin = fields.requiredString("plugin");
        String tenant = TenantScope.require(checkTenant(fields.string("tenant", TenantScope.current())));
        Map<String, Object> config = config(fields);
        PluginManager manager = services.pluginManager();
        PluginInstance instance = call(() -> manager.createInstance(plugin, tenant, config), "plugin '" + plugin + "'");
        LOG.info("admin api: tenant {} created instance {} of plugin {}", tenant, instance.id(), plugin);
        return Response.created(URI.create("plugin_instances/" + instance.id()))
                .entity(PluginJson.instance(instance)).build();
    }

    @PUT
    @Path("{id}")
    @ApiDoc(summary = "Replace a plugin instance's config", notFound = true, body = "{config}")
    public JsonObject update(@PathParam("id") String id, JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        if (!fields.has("config")) {
            throw ApiException.badRequest("field 'config' is required");
        }
        Map<String, Object> config = config(fields);
        PluginManager manager = services.pluginManager();
        find(manager, id);
        PluginInstance instance = call(() -> manager.updateInstance(id, config), "plugin instance '" + id + "'");
        LOG.info("admin api: tenant {} reconfigured instance {} of plugin {}", instance.tenant(), id,
                instance.pluginId());
        return PluginJson.instance(instance);
    }

    @DELETE
    @Path("{id}")
    @ApiDoc(summary = "Delete a plugin instance", status = 204, notFound = true)
    public Response delete(@PathParam("id") String id) {
        find(services.pluginManager(), id);
        if (!services.pluginManager().deleteInstance(id)) {
            throw ApiException.notFound("NOT_FOUND", "plugin instance '" + id + "' not found");
        }
        LOG.info("admin api: deleted plugin instance {}", id);
        return Response.noContent().build();
    }

    private static Map<String, Object> config(JsonFields fields) {
        JsonObject config = fields.object("config");
        return config == null ? Map.of() : JsonValues.toMap(config, "config");
    }

    /** The instance, if the caller may see it (a tenant's key: its own tenant's only). */
    private static PluginInstance find(PluginManager manager, String id) {
        return manager.instances(null).stream().filter(i -> i.id().equals(id))
                .filter(i -> TenantScope.platform() || i.tenant().equals(TenantScope.current())).findFirst()
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "plugin instance '" + id + "' not found"));
    }

    /** Maps the plugin manager's documented exceptions to 400 / 404. */
    static PluginInstance call(Supplier<PluginInstance> action, String what) {
        try {
            return action.get();
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("NOT_FOUND", e.getMessage() != null ? e.getMessage() : what + " not found");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage() != null ? e.getMessage() : "invalid configuration");
        }
    }

    static String checkTenant(String tenant) {
        if (!TENANT.matcher(tenant).matches()) {
            throw ApiException.badRequest("field 'tenant' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return tenant;
    }
}
