package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.api.integration.Integrations.Kind;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** EMQX's /sources_probe: tests a source configuration without storing it. */
@TenantScoped
@Path("sources_probe")
@Produces(MediaType.APPLICATION_JSON)
public final class SourceProbeResource {

    private final IntegrationEndpoints endpoints;

    public SourceProbeResource(Services services, String nodeName) {
        this.endpoints = new IntegrationEndpoints(services, Kind.SOURCE, nodeName);
    }

    @POST
    @ApiDoc(summary = "Test a source configuration without saving it: 204, or 400 TEST_FAILED with the error of the system",
            status = 204, body = "the same fields as POST /sources")
    public Response probe(JsonObject body) {
        return endpoints.probe(body);
    }
}
