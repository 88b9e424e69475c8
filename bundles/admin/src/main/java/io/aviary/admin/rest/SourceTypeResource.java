package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import io.aviary.api.integration.Integrations.Kind;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** EMQX's /source_types: the source types the installed plugins provide. */
@TenantScoped
@Path("source_types")
@Produces(MediaType.APPLICATION_JSON)
public final class SourceTypeResource {

    private final IntegrationEndpoints endpoints;

    public SourceTypeResource(Services services, String nodeName) {
        this.endpoints = new IntegrationEndpoints(services, Kind.SOURCE, nodeName);
    }

    @GET
    @ApiDoc(summary = "The source types installed plugins provide (http, kafka_producer, ...)")
    public JsonArray types() {
        return endpoints.types();
    }
}
