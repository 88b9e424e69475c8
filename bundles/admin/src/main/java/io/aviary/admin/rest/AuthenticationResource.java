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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's {@code /authentication}: the caller's tenant's authenticator chain, in order, and adding
 * an authenticator at its end ({@code {"mechanism": "password_based", "backend":
 * "built_in_database", ...config}}). Each authenticator is an instance of the plugin that
 * provides it; {@link AuthenticatorResource} serves one of them.
 */
@TenantScoped
@Path("authentication")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthenticationResource {
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationResource.class);

    private final Services services;

    public AuthenticationResource(Services services) {
        this.services = services;
    }

    static AuthChains chain(Services services) {
        return new AuthChains(services.pluginManager(), AuthChains.Kind.AUTHN);
    }

    @GET
    @ApiDoc(summary = "The tenant's authenticators in chain order: each {id, mechanism, backend?, enable, ...config}")
    public JsonArray list() {
        AuthChains chain = chain(services);
        JsonArray out = new JsonArray();
        chain.members(TenantScope.current()).forEach(m -> out.add(chain.toJson(m)));
        return out;
    }

    @POST
    @ApiDoc(summary = "Add an authenticator at the end of the chain; its id is mechanism[:backend]",
            body = "{mechanism, backend?, enable?, ...config}", also = {409})
    public JsonObject create(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String mechanism = fields.requiredString("mechanism");
        String backend = fields.string("backend", null);
        String id = backend == null ? mechanism : mechanism + ":" + backend;
        String tenant = TenantScope.current();
        AuthChains chain = chain(services);
        String plugin = chain.pluginFor(id, backend == null ? "mechanism" : "backend");
        if (chain.member(tenant, id).isPresent()) {
            throw new ApiException(409, "ALREADY_EXISTS", "authenticator '" + id + "' exists");
        }
        boolean enable = fields.bool("enable", true);
        PluginInstance created = AuthChains.call(() -> services.pluginManager()
                .createInstance(plugin, tenant, AuthChains.config(body, "mechanism", "backend", "id")));
        if (!enable) {
            created = services.pluginManager().setEnabled(created.id(), false);
        }
        LOG.info("admin api: tenant={} authenticator {} added (instance {})", tenant, id, created.id());
        return chain.toJson(new AuthChains.Member(id, created));
    }
}
