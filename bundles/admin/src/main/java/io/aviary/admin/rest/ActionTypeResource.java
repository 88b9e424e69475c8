package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import io.aviary.api.integration.Integrations.Kind;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** EMQX's /action_types: the action types the installed plugins provide. */
@TenantScoped
@Path("action_types")
@Produces(MediaType.APPLICATION_JSON)
public final class ActionTypeResource {

    private final IntegrationEndpoints endpoints;

    public ActionTypeResource(Services services, String nodeName) {
        this.endpoints = new IntegrationEndpoints(services, Kind.ACTION, nodeName);
    }

    @GET
    @ApiDoc(summary = "The action types installed plugins provide (http, kafka_producer, ...)")
    public JsonArray types() {
        return endpoints.types();
    }
}
