package io.aviary.admin.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.rules.RuleTestResult;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * EMQX's SQL tester, POST /rule_test: rule SQL run on a test context (its {@code event_type}
 * names the event, example columns fill the rest). The output for a SELECT, the array for a
 * FOREACH, 412 NOT_MATCH when FROM or WHERE filters the context out, 400 for SQL that does not
 * compile (with the line and the column).
 */
@Path("rule_test")
@Produces(MediaType.APPLICATION_JSON)
public final class RuleTestResource {

    private final Services services;

    public RuleTestResource(Services services) {
        this.services = services;
    }

    @POST
    @ApiDoc(summary = "Test rule SQL on a context: the output, or 412 when FROM or WHERE filters it out", also = 412,
            body = "{sql, context: {event_type?: message_publish|client_connected|..., <columns>...}}")
    public JsonElement test(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String sql = fields.requiredString("sql");
        RuleTestResult r;
        try {
            r = services.rules().test(sql, RuleJson.context(body));
        } catch (IllegalArgumentException bad) {
            throw ApiException.badRequest(bad.getMessage());
        }
        if (r.status() != RuleTestResult.Status.PASSED) {
            throw RuleJson.notMatched(r);
        }
        return RuleJson.outputs(r, sql.trim().regionMatches(true, 0, "FOREACH", 0, 7));
    }
}
