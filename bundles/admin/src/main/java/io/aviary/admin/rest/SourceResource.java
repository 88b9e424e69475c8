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
 * EMQX 5's /sources in the request's tenant: a source brings messages in; rules read them FROM
 * "$bridges/type:name".
 */
@TenantScoped
@Path("sources")
@Produces(MediaType.APPLICATION_JSON)
public final class SourceResource {

    private final IntegrationEndpoints endpoints;

    public SourceResource(Services services, String nodeName) {
        this.endpoints = new IntegrationEndpoints(services, Kind.SOURCE, nodeName);
    }

    @GET
    @ApiDoc(summary = "The tenant's sources, each with its status and status_reason")
    public JsonArray list() {
        return endpoints.list();
    }

    @POST
    @ApiDoc(summary = "Create a source (config errors answer 400 naming the field; a name taken answers 400 ALREADY_EXISTS)",
            status = 201, body = "{type, name, connector, parameters: {...fields of the type}, resource_opts?: {batch_size, batch_time, inflight_window, max_buffer_bytes, health_check_interval, request_ttl}, enable?, description?}")
    public Response create(JsonObject body) {
        return endpoints.create(body);
    }

    @GET
    @Path("{id}")
    @ApiDoc(summary = "One source by id (type:name), with its status", notFound = true)
    public JsonElement get(@PathParam("id") String id) {
        return endpoints.get(id);
    }

    @PUT
    @Path("{id}")
    @ApiDoc(summary = "Replace the configuration of a source (type and name come from the id)", notFound = true,
            body = "the same fields as on create, type and name optional")
    public JsonElement update(@PathParam("id") String id, JsonObject body) {
        return endpoints.update(id, body);
    }

    @DELETE
    @Path("{id}")
    @ApiDoc(summary = "Delete a source", status = 204, notFound = true)
    public Response delete(@PathParam("id") String id) {
        return endpoints.delete(id, null);
    }

    @POST
    @Path("{id}/{operation}")
    @ApiDoc(summary = "Run an operation on a source: start, stop or restart", status = 204, notFound = true)
    public Response operate(@PathParam("id") String id, @PathParam("operation") String operation) {
        return endpoints.operate(id, operation);
    }

    @PUT
    @Path("{id}/enable/{enable}")
    @ApiDoc(summary = "Enable (true) or disable (false) a source", status = 204, notFound = true)
    public Response enable(@PathParam("id") String id, @PathParam("enable") String enable) {
        return endpoints.enable(id, enable);
    }

    @GET
    @Path("{id}/metrics")
    @ApiDoc(summary = "Metrics of the source: matched, success, failed, dropped (and by reason), retried, queuing,"
            + " inflight, late_reply, received, latency", notFound = true)
    public JsonObject metrics(@PathParam("id") String id) {
        return endpoints.metrics(id);
    }

    @PUT
    @Path("{id}/metrics/reset")
    @ApiDoc(summary = "Zero the counters of the source", status = 204, notFound = true)
    public Response resetMetrics(@PathParam("id") String id) {
        return endpoints.resetMetrics(id);
    }
}
