package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.api.integration.Integrations.Kind;
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

/**
 * EMQX 5's /connectors in the request's tenant: a connector holds the connection to an external system,
 * shared by the actions and sources that name it. Create, list, show, change, delete, start/stop/restart, enable.
 */
@TenantScoped
@Path("connectors")
@Produces(MediaType.APPLICATION_JSON)
public final class ConnectorResource {

    private final IntegrationEndpoints endpoints;

    public ConnectorResource(Services services, String nodeName) {
        this.endpoints = new IntegrationEndpoints(services, Kind.CONNECTOR, nodeName);
    }

    @GET
    @ApiDoc(summary = "The tenant's connectors, each with its status and status_reason")
    public JsonArray list() {
        return endpoints.list();
    }

    @POST
    @ApiDoc(summary = "Create a connector (config errors answer 400 naming the field; a name taken answers 400 ALREADY_EXISTS)",
            status = 201, body = "{type, name, ...connector fields of the type, resource_opts?: {health_check_interval}, enable?, description?}")
    public Response create(JsonObject body) {
        return endpoints.create(body);
    }

    @GET
    @Path("{id}")
    @ApiDoc(summary = "One connector by id (type:name), with its status", notFound = true)
    public JsonElement get(@PathParam("id") String id) {
        return endpoints.get(id);
    }

    @PUT
    @Path("{id}")
    @ApiDoc(summary = "Replace the configuration of a connector (type and name come from the id)", notFound = true,
            body = "the same fields as on create, type and name optional")
    public JsonElement update(@PathParam("id") String id, JsonObject body) {
        return endpoints.update(id, body);
    }

    @DELETE
    @Path("{id}")
    @ApiDoc(summary = "Delete a connector (400 while actions or sources use it)", status = 204, notFound = true)
    public Response delete(@PathParam("id") String id) {
        return endpoints.delete(id, null);
    }

    @POST
    @Path("{id}/{operation}")
    @ApiDoc(summary = "Run an operation on a connector: start, stop or restart", status = 204, notFound = true)
    public Response operate(@PathParam("id") String id, @PathParam("operation") String operation) {
        return endpoints.operate(id, operation);
    }

    @PUT
    @Path("{id}/enable/{enable}")
    @ApiDoc(summary = "Enable (true) or disable (false) a connector", status = 204, notFound = true)
    public Response enable(@PathParam("id") String id, @PathParam("enable") String enable) {
        return endpoints.enable(id, enable);
    }
}
