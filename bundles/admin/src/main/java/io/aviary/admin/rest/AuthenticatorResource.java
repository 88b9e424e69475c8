package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.plugin.PluginInstance;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's {@code /authentication/{id}}: one authenticator of the caller's tenant (show, change its
 * config or enable, remove) and {@code /authentication/{id}/position/{position}} to move it in the
 * chain. Its users are {@link AuthnUserResource}'s (the same path, merged by Jersey).
 */
@TenantScoped
@Path("authentication/{id}")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthenticatorResource {
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorResource.class);

    private final Services services;

    public AuthenticatorResource(Services services) {
        this.services = services;
    }

    @GET
    @ApiDoc(summary = "One authenticator: {id, mechanism, backend?, enable, ...config}", notFound = true)
    public JsonObject get(@PathParam("id") String id) {
        AuthChains chain = AuthenticationResource.chain(services);
        return chain.toJson(chain.require(TenantScope.current(), id));
    }

    @PUT
    @ApiDoc(summary = "Replace an authenticator's config (and enable); its users are kept", notFound = true,
            body = "{enable?, ...config}")
    public JsonObject update(@PathParam("id") String id, JsonObject body) {
        AuthChains chain = AuthenticationResource.chain(services);
        String tenant = TenantScope.current();
        AuthChains.Member m = chain.require(tenant, id);
        JsonFields fields = JsonFields.of(body);
        PluginInstance updated = AuthChains.call(() -> services.pluginManager()
                .updateInstance(m.instance().id(), AuthChains.config(body, "mechanism", "backend", "id")));
        if (fields.has("enable")) {
            updated = services.pluginManager().setEnabled(updated.id(), fields.bool("enable", true));
        }
        LOG.info("admin api: tenant={} authenticator {} changed", tenant, id);
        return chain.toJson(new AuthChains.Member(id, updated));
    }

    @DELETE
    @ApiDoc(summary = "Remove an authenticator from the chain", status = 204, notFound = true)
    public Response delete(@PathParam("id") String id) {
        String tenant = TenantScope.current();
        AuthChains.Member m = AuthenticationResource.chain(services).require(tenant, id);
        services.pluginManager().deleteInstance(m.instance().id());
        LOG.info("admin api: tenant={} authenticator {} removed", tenant, id);
        return Response.noContent().build();
    }

    @PUT
    @Path("position/{position}")
    @ApiDoc(summary = "Move an authenticator: front, rear, before:{id} or after:{id}", status = 204, notFound = true)
    public Response move(@PathParam("id") String id, @PathParam("position") String position) {
        String tenant = TenantScope.current();
        AuthenticationResource.chain(services).move(tenant, id, position);
        LOG.info("admin api: tenant={} authenticator {} moved {}", tenant, id, position);
        return Response.noContent().build();
    }
}
