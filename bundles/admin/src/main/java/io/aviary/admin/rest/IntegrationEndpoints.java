package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonValues;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Integrations;
import io.aviary.api.integration.Integrations.Kind;
import io.aviary.api.rules.RuleAction;
import io.aviary.api.rules.RuleDefinition;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What EMQX 5's /connectors, /actions and /sources endpoints do, for one kind, in the request's
 * tenant: the resource classes only carry the JAX-RS annotations and call this. The runtime's
 * exceptions become EMQX's answers: 400 BAD_REQUEST naming the field, 400 ALREADY_EXISTS,
 * 404 NOT_FOUND, 400 TEST_FAILED from a probe with the system's own error.
 */
final class IntegrationEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(IntegrationEndpoints.class);

    private final Services services;
    private final Kind kind;
    private final String nodeName;

    IntegrationEndpoints(Services services, Kind kind, String nodeName) {
        this.services = services;
        this.kind = kind;
        this.nodeName = nodeName;
    }

    private String singular() {
        return kind.plural().substring(0, kind.plural().length() - 1);
    }

    JsonArray list() {
        JsonArray out = new JsonArray();
        services.integrations().list(TenantScope.current(), kind).forEach(r -> out.add(JsonValues.toJson(r)));
        return out;
    }

    Response create(JsonObject body) {
        Map<String, Object> config = config(body);
        try {
            checkQuota();
            Map<String, Object> created = services.integrations().create(TenantScope.current(), kind, config);
            LOG.info("admin api: tenant={} {}={}:{} created", TenantScope.current(), singular(), created.get("type"),
                    created.get("name"));
            return Response.status(201).entity(JsonValues.toJson(created)).build();
        } catch (RuntimeException e) {
            throw answer(e);
        }
    }

    /**
     * The tenant's max_integrations quota (0 = none): its actions and sources together (the data
     * flows it runs; connectors are the shared connections they use), checked before one is added.
     */
    private void checkQuota() {
        if (kind == Kind.CONNECTOR) {
            return;
        }
        String tenant = TenantScope.current();
        long max = services.tenants().limits(tenant).stream().filter(l -> l.name().equals("max_integrations"))
                .mapToLong(io.aviary.api.tenant.TenantLimit::value).findFirst().orElse(0);
        if (max <= 0) {
            return;
        }
        int used = services.integrations().list(tenant, Kind.ACTION).size()
                + services.integrations().list(tenant, Kind.SOURCE).size();
        if (used >= max) {
            services.tenants().refused(tenant, "max_integrations");
            throw new ApiException(400, "QUOTA_EXCEEDED", "tenant '" + tenant + "' has reached its quota max_integrations ("
                    + max + " actions and sources): delete one or raise the quota");
        }
    }

    JsonElement get(String id) {
        try {
            return JsonValues.toJson(services.integrations().get(TenantScope.current(), kind, id)
                    .orElseThrow(() -> notFound(id)));
        } catch (RuntimeException e) {
            throw answer(e);
        }
    }

    JsonElement update(String id, JsonObject body) {
        Map<String, Object> config = config(body);
        try {
            Map<String, Object> updated = services.integrations().update(TenantScope.current(), kind, id, config)
                    .orElseThrow(() -> notFound(id));
            LOG.info("admin api: tenant={} {}={} updated", TenantScope.current(), singular(), id);
            return JsonValues.toJson(updated);
        } catch (RuntimeException e) {
            throw answer(e);
        }
    }

    /**
     * Deletes; for an action that rules name, EMQX answers 400 with the rules unless
     * also_delete_dep_actions=true, which removes the action from those rules first.
     */
    Response delete(String id, String alsoDeleteDepActions) {
        String tenant = TenantScope.current();
        try {
            if (services.integrations().get(tenant, kind, id).isEmpty()) {
                throw notFound(id);
            }
            if (kind == Kind.ACTION) {
                List<RuleDefinition> using = rulesUsing(tenant, id);
                if (!using.isEmpty()) {
                    if (!"true".equals(alsoDeleteDepActions)) {
                        throw ApiException.badRequest("Cannot delete action while active rules are depending on it: "
                                + String.join(", ", using.stream().map(RuleDefinition::id).toList())
                                + " (or add ?also_delete_dep_actions=true)");
                    }
                    for (RuleDefinition r : using) {
                        List<RuleAction> kept = new ArrayList<>(r.actions());
                        kept.removeIf(a -> a.function().equals(id));
                        services.rules().update(new RuleDefinition(r.id(), r.tenant(), r.sql(), kept, r.enable(),
                                r.description(), r.createdAt()));
                    }
                }
            }
            if (!services.integrations().delete(tenant, kind, id)) {
                throw notFound(id);
            }
            LOG.info("admin api: tenant={} {}={} deleted", tenant, singular(), id);
            return Response.noContent().build();
        } catch (RuntimeException e) {
            throw answer(e);
        }
    }

    private List<RuleDefinition> rulesUsing(String tenant, String actionId) {
        List<RuleDefinition> out = new ArrayList<>();
        for (RuleDefinition r : services.rules().list(tenant)) {
            if (r.actions().stream().anyMatch(a -> a.function().equals(actionId))) {
                out.add(r);
            }
        }
        return out;
    }

    Response operate(String id, String operation) {
        try {
            if (!services.integrations().operate(TenantScope.current(), kind, id, operation)) {
                throw notFound(id);
            }
            return Response.noContent().build();
        } catch (RuntimeException e) {
            throw answer(e);
        }
    }

    Response enable(String id, String enable) {
        if (!"true".equals(enable) && !"false".equals(enable)) {
            throw ApiException.badRequest("path parameter 'enable' must be true or false, was '" + enable + "'");
        }
        try {
            if (!services.integrations().enable(TenantScope.current(), kind, id, Boolean.parseBoolean(enable))) {
                throw notFound(id);
            }
            return Response.noContent().build();
        } catch (RuntimeException e) {
            throw answer(e);
        }
    }

    /** EMQX's metrics answer: {metrics: {...}, node_metrics: [{node, metrics}]}. */
    JsonObject metrics(String id) {
        try {
            Map<String, Object> m = services.integrations().metrics(TenantScope.current(), kind, id)
                    .orElseThrow(() -> notFound(id));
            JsonObject o = new JsonObject();
            o.add("metrics", JsonValues.toJson(m));
            JsonObject node = new JsonObject();
            node.addProperty("node", nodeName);
            node.add("metrics", JsonValues.toJson(m));
            JsonArray nodes = new JsonArray();
            nodes.add(node);
            o.add("node_metrics", nodes);
            return o;
        } catch (RuntimeException e) {
            throw answer(e);
        }
    }

    Response resetMetrics(String id) {
        try {
            if (!services.integrations().resetMetrics(TenantScope.current(), kind, id)) {
                throw notFound(id);
            }
            return Response.noContent().build();
        } catch (RuntimeException e) {
            throw answer(e);
        }
    }

    /** 204 when the configuration connects, else 400 TEST_FAILED with the system's own error. */
    Response probe(JsonObject body) {
        Map<String, Object> config = config(body);
        Health h;
        try {
            h = services.integrations().probe(TenantScope.current(), kind, config);
        } catch (RuntimeException e) {
            throw answer(e);
        }
        if (h.status() == Health.Status.CONNECTED) {
            return Response.noContent().build();
        }
        throw new ApiException(400, "TEST_FAILED", h.error() == null ? h.status().apiName() : h.error());
    }

    JsonArray types() {
        JsonArray out = new JsonArray();
        services.integrations().types(kind).forEach(out::add);
        return out;
    }

    private static Map<String, Object> config(JsonObject body) {
        if (body == null) {
            throw ApiException.badRequest("a JSON object body is required");
        }
        Map<String, Object> m = JsonValues.toMap(body, "");
        return m;
    }

    private ApiException notFound(String id) {
        return ApiException.notFound("NOT_FOUND", singular() + " '" + id + "' not found");
    }

    /** The runtime's exceptions as EMQX's answers. */
    private static RuntimeException answer(RuntimeException e) {
        if (e instanceof ApiException) {
            return e;
        }
        if (e instanceof Integrations.InUseException) {
            return ApiException.badRequest(e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return ApiException.badRequest(e.getMessage());
        }
        if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().endsWith("already exists")) {
            return new ApiException(400, "ALREADY_EXISTS", e.getMessage());
        }
        if (e instanceof IllegalStateException) {
            return ApiException.unavailable(e.getMessage());
        }
        return e;
    }
}
