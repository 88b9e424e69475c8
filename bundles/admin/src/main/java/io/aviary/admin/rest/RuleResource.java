package io.aviary.admin.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.rules.RuleDefinition;
import io.aviary.api.rules.RuleTestResult;
import io.aviary.api.rules.Rules;
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
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX 5's /rules endpoints in the request's tenant: list, create, show, change (enable and
 * disable with {@code {"enable": false}}), delete, metrics and their reset, and a stored rule's
 * test run up to its rendered actions. A rule of another tenant answers 404 like a missing one.
 */
@TenantScoped
@Path("rules")
@Produces(MediaType.APPLICATION_JSON)
public final class RuleResource {

    private static final Logger LOG = LoggerFactory.getLogger(RuleResource.class);

    private final Services services;
    private final String nodeName;

    public RuleResource(Services services, String nodeName) {
        this.services = services;
        this.nodeName = nodeName;
    }

    @GET
    @ApiDoc(summary = "The tenant's rules, paged; filters enable (true|false), like_id, like_description (substrings)",
            query = {"page", "limit", "enable", "like_id", "like_description"})
    public JsonObject list(@QueryParam("page") String page, @QueryParam("limit") String limit,
            @QueryParam("enable") String enable, @QueryParam("like_id") String likeId,
            @QueryParam("like_description") String likeDescription) {
        Page paging = Page.of(page, limit);
        if (enable != null && !enable.equals("true") && !enable.equals("false")) {
            throw ApiException.badRequest("query parameter 'enable' must be true or false");
        }
        List<RuleDefinition> rules = services.rules().list(TenantScope.current()).stream()
                .filter(r -> enable == null || r.enable() == Boolean.parseBoolean(enable))
                .filter(r -> likeId == null || r.id().contains(likeId))
                .filter(r -> likeDescription == null
                        || r.description().toLowerCase(Locale.ROOT).contains(likeDescription.toLowerCase(Locale.ROOT)))
                .toList();
        return paging.answer(rules, RuleJson::rule);
    }

    @POST
    @ApiDoc(summary = "Create a rule (SQL errors answer 400 with the line and column)", status = 201,
            body = "{id?, sql, actions?: [{function: republish|console, args: {topic, qos, retain, payload,"
                    + " user_properties, mqtt_properties}}], enable?: true, description?}")
    public Response create(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String id = fields.has("id") ? fields.requiredString("id") : null;
        if (id != null && id.isEmpty()) {
            throw ApiException.badRequest("field 'id' must not be empty");
        }
        RuleDefinition wanted = new RuleDefinition(id, TenantScope.current(), fields.requiredString("sql"),
                RuleJson.actions(body.get("actions")), fields.bool("enable", true), fields.string("description", ""), 0);
        Rules rules = services.rules();
        checkQuota(rules, wanted.tenant());
        try {
            RuleDefinition created = rules.create(wanted);
            LOG.info("admin api: tenant={} rule={} created", created.tenant(), created.id());
            return Response.status(201).entity(RuleJson.rule(created)).build();
        } catch (IllegalStateException exists) {
            throw ApiException.badRequest("rule id already exists: '" + id + "'");
        } catch (IllegalArgumentException bad) {
            throw ApiException.badRequest(bad.getMessage());
        }
    }

    @GET
    @Path("{id}")
    @ApiDoc(summary = "One rule", notFound = true)
    public JsonObject get(@PathParam("id") String id) {
        return RuleJson.rule(find(id));
    }

    @PUT
    @Path("{id}")
    @ApiDoc(summary = "Change a rule (fields left out keep their value; {\"enable\": false} disables it)",
            notFound = true, body = "{sql?, actions?, enable?, description?}")
    public JsonObject update(@PathParam("id") String id, JsonObject body) {
        RuleDefinition old = find(id);
        JsonFields fields = JsonFields.of(body);
        RuleDefinition wanted = new RuleDefinition(id, old.tenant(),
                fields.has("sql") ? fields.requiredString("sql") : old.sql(),
                body.has("actions") ? RuleJson.actions(body.get("actions")) : old.actions(),
                fields.bool("enable", old.enable()), fields.string("description", old.description()), old.createdAt());
        try {
            RuleDefinition updated = services.rules().update(wanted).orElseThrow(() -> notFound(id));
            LOG.info("admin api: tenant={} rule={} updated", updated.tenant(), id);
            return RuleJson.rule(updated);
        } catch (IllegalArgumentException bad) {
            throw ApiException.badRequest(bad.getMessage());
        }
    }

    @DELETE
    @Path("{id}")
    @ApiDoc(summary = "Delete a rule", status = 204, notFound = true)
    public Response delete(@PathParam("id") String id) {
        if (!services.rules().delete(TenantScope.current(), id)) {
            throw notFound(id);
        }
        LOG.info("admin api: tenant={} rule={} deleted", TenantScope.current(), id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/metrics")
    @ApiDoc(summary = "A rule's metrics: matched, passed, failed (exception, no_result, overloaded, loop),"
            + " actions total/success/failed, per action, and the last error", notFound = true)
    public JsonObject metrics(@PathParam("id") String id) {
        return services.rules().metrics(TenantScope.current(), id)
                .map(m -> RuleJson.metrics(id, nodeName, m)).orElseThrow(() -> notFound(id));
    }

    @PUT
    @Path("{id}/metrics/reset")
    @ApiDoc(summary = "Zero a rule's metrics", status = 204, notFound = true)
    public Response resetMetrics(@PathParam("id") String id) {
        if (!services.rules().resetMetrics(TenantScope.current(), id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/test")
    @ApiDoc(summary = "Run a stored rule on a test context as far as rendering its actions (nothing is sent);"
            + " 412 when FROM or WHERE filters the context out", notFound = true, also = 412,
            body = "{context: {event_type?, <columns>...}}")
    public JsonObject test(@PathParam("id") String id, JsonObject body) {
        RuleTestResult r;
        try {
            r = services.rules().test(TenantScope.current(), id, RuleJson.context(body == null ? new JsonObject() : body))
                    .orElseThrow(() -> new ApiException(404, "RULE_NOT_FOUND", "The rule could not be found: '" + id + "'"));
        } catch (IllegalArgumentException bad) {
            throw ApiException.badRequest(bad.getMessage());
        }
        if (r.status() != RuleTestResult.Status.PASSED) {
            throw RuleJson.notMatched(r);
        }
        JsonObject o = new JsonObject();
        o.add("outputs", io.aviary.admin.json.JsonValues.toJson(r.outputs()));
        JsonElement rendered = io.aviary.admin.json.JsonValues.toJson(r.rendered().stream()
                .map(per -> per.stream().map(a -> java.util.Map.of("function", a.function(), "args", a.args())).toList())
                .toList());
        o.add("actions", rendered);
        return o;
    }

    /** The tenant's max_rules quota (0 = none), checked before a rule is added. */
    private void checkQuota(Rules rules, String tenant) {
        long max = services.tenants().limits(tenant).stream().filter(l -> l.name().equals("max_rules"))
                .mapToLong(io.aviary.api.tenant.TenantLimit::value).findFirst().orElse(0);
        if (max > 0 && rules.list(tenant).size() >= max) {
            services.tenants().refused(tenant, "max_rules");
            throw new ApiException(400, "QUOTA_EXCEEDED", "tenant '" + tenant + "' has reached its quota max_rules ("
                    + max + "): delete a rule or raise the quota");
        }
    }

    private RuleDefinition find(String id) {
        return services.rules().get(TenantScope.current(), id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("NOT_FOUND", "Rule Id Not Found: '" + id + "'");
    }
}
