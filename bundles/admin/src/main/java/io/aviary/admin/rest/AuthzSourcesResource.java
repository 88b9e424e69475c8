package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.plugin.PluginInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's {@code /authorization/sources}: the caller's tenant's authorization sources in chain
 * order ({@code {"sources": [...]}}), and adding one at the end ({@code {"type": "file", ...}}).
 * {@link AuthzSourceResource} serves one source.
 */
@TenantScoped
@Path("authorization/sources")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthzSourcesResource {
    private static final Logger LOG = LoggerFactory.getLogger(AuthzSourcesResource.class);

    private final Services services;

    public AuthzSourcesResource(Services services) {
        this.services = services;
    }

    static AuthChains chain(Services services) {
        return new AuthChains(services.pluginManager(), AuthChains.Kind.AUTHZ);
    }

    @GET
    @ApiDoc(summary = "The tenant's authorization sources in chain order: {sources: [{type, enable, ...config}]}")
    public JsonObject list() {
        AuthChains chain = chain(services);
        JsonArray sources = new JsonArray();
        chain.members(TenantScope.current()).forEach(m -> sources.add(chain.toJson(m)));
        JsonObject out = new JsonObject();
        out.add("sources", sources);
        return out;
    }

    @POST
    @ApiDoc(summary = "Add an authorization source at the end of the chain", status = 204,
            body = "{type, enable?, ...config}", also = {409})
    public Response create(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String type = fields.requiredString("type");
        String tenant = TenantScope.current();
        AuthChains chain = chain(services);
        String plugin = chain.pluginFor(type, "type");
        if (chain.member(tenant, type).isPresent()) {
            throw new ApiException(409, "ALREADY_EXISTS", "authorization source '" + type + "' exists");
        }
        PluginInstance created = AuthChains.call(() -> services.pluginManager()
                .createInstance(plugin, tenant, AuthChains.config(body, "type")));
        if (!fields.bool("enable", true)) {
            services.pluginManager().setEnabled(created.id(), false);
        }
        LOG.info("admin api: tenant={} authorization source {} added (instance {})", tenant, type, created.id());
        return Response.noContent().build();
    }
}
