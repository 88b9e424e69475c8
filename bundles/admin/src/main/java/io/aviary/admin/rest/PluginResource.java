package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.aviary.admin.error.ApiException;
import io.aviary.api.plugin.PluginStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The plugin catalogue: GET /plugins, /plugins/{id} and /plugins/{id}/schema. */
@Path("plugins")
@Produces(MediaType.APPLICATION_JSON)
public final class PluginResource {

    private final Services services;

    public PluginResource(Services services) {
        this.services = services;
    }

    @GET
    @ApiDoc(summary = "The plugin catalogue")
    public JsonArray list() {
        JsonArray array = new JsonArray();
        services.pluginManager().plugins().forEach(p -> array.add(PluginJson.status(p)));
        return array;
    }

    @GET
    @Path("{id}")
    @ApiDoc(summary = "One plugin", notFound = true)
    public JsonObject get(@PathParam("id") String id) {
        return PluginJson.status(find(id));
    }

    @GET
    @Path("{id}/schema")
    @ApiDoc(summary = "The JSON Schema of the plugin's instance config", notFound = true)
    public JsonElement schema(@PathParam("id") String id) {
        PluginStatus status = find(id);
        if (status.descriptor() == null) {
            throw ApiException.notFound("NOT_FOUND", "plugin '" + id + "' could not be read, so it has no schema: "
                    + status.error());
        }
        String schema = status.descriptor().configSchema();
        try {
            return JsonParser.parseString(schema == null || schema.isBlank() ? "{}" : schema);
        } catch (RuntimeException e) {
            throw new ApiException(500, "INTERNAL_ERROR", "plugin '" + id + "' declares a schema that is not JSON");
        }
    }

    private PluginStatus find(String id) {
        return services.pluginManager().plugin(id)
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "plugin '" + id + "' not found"));
    }
}
