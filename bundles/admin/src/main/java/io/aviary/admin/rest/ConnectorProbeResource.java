package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.api.integration.Integrations.Kind;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** EMQX's /connectors_probe: tests a connector configuration without storing it. */
@TenantScoped
@Path("connectors_probe")
@Produces(MediaType.APPLICATION_JSON)
public final class ConnectorProbeResource {

    private final IntegrationEndpoints endpoints;

    public ConnectorProbeResource(Services services, String nodeName) {
        this.endpoints = new IntegrationEndpoints(services, Kind.CONNECTOR, nodeName);
    }

    @POST
    @ApiDoc(summary = "Test a connector configuration without saving it: 204, or 400 TEST_FAILED with the error of the system",
            status = 204, body = "the same fields as POST /connectors")
    public Response probe(JsonObject body) {
        return endpoints.probe(body);
    }
}
