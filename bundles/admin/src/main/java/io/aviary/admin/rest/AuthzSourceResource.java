package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.plugin.PluginInstance;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's {@code /authorization/sources/{type}}: one authorization source of the caller's tenant
 * (show, change, remove) and {@code /move} with {@code {"position": "front" | "rear" |
 * "before:<type>" | "after:<type>"}}.
 */
@TenantScoped
@Path("authorization/sources/{type}")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthzSourceResource {
    private static final Logger LOG = LoggerFactory.getLogger(AuthzSourceResource.class);

    private final Services services;

    public AuthzSourceResource(Services services) {
        this.services = services;
    }

    @GET
    @ApiDoc(summary = "One authorization source: {type, enable, ...config}", notFound = true)
    public JsonObject get(@PathParam("type") String type) {
        AuthChains chain = AuthzSourcesResource.chain(services);
        return chain.toJson(chain.require(TenantScope.current(), type));
    }

    @PUT
    @ApiDoc(summary = "Replace an authorization source's config (and enable)", status = 204, notFound = true,
            body = "{type?, enable?, ...config}")
    public Response update(@PathParam("type") String type, JsonObject body) {
        String tenant = TenantScope.current();
        AuthChains.Member m = AuthzSourcesResource.chain(services).require(tenant, type);
        JsonFields fields = JsonFields.of(body);
        PluginInstance updated = AuthChains.call(() -> services.pluginManager()
                .updateInstance(m.instance().id(), AuthChains.config(body, "type")));
        if (fields.has("enable")) {
            services.pluginManager().setEnabled(updated.id(), fields.bool("enable", true));
        }
        LOG.info("admin api: tenant={} authorization source {} changed", tenant, type);
        return Response.noContent().build();
    }

    @DELETE
    @ApiDoc(summary = "Remove an authorization source", status = 204, notFound = true)
    public Response delete(@PathParam("type") String type) {
        String tenant = TenantScope.current();
        AuthChains.Member m = AuthzSourcesResource.chain(services).require(tenant, type);
        services.pluginManager().deleteInstance(m.instance().id());
        LOG.info("admin api: tenant={} authorization source {} removed", tenant, type);
        return Response.noContent().build();
    }

    @POST
    @Path("move")
    @ApiDoc(summary = "Move a source: {position: front | rear | before:{type} | after:{type}}", status = 204,
            notFound = true, body = "{position}")
    public Response move(@PathParam("type") String type, JsonObject body) {
        String position = JsonFields.of(body).requiredString("position");
        String tenant = TenantScope.current();
        AuthzSourcesResource.chain(services).move(tenant, type, position);
        LOG.info("admin api: tenant={} authorization source {} moved {}", tenant, type, position);
        return Response.noContent().build();
    }
}
