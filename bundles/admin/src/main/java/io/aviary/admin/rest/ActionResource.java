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
 * EMQX 5's /actions in the request's tenant: an action is a sink a rule names by id ("http:a1"), with
 * the runtime's batching, disk buffer, retries and metrics.
 */
@TenantScoped
@Path("actions")
@Produces(MediaType.APPLICATION_JSON)
public final class ActionResource {

    private final IntegrationEndpoints endpoints;

    public ActionResource(Services services, String nodeName) {
        this.endpoints = new IntegrationEndpoints(services, Kind.ACTION, nodeName);
    }

    @GET
    @ApiDoc(summary = "The tenant's actions, each with its status and status_reason")
    public JsonArray list() {
        return endpoints.list();
    }

    @POST
    @ApiDoc(summary = "Create a action (config errors answer 400 naming the field; a name taken answers 400 ALREADY_EXISTS)",
            status = 201, body = "{type, name, connector, parameters: {...fields of the type}, resource_opts?: {batch_size, batch_time, inflight_window, max_buffer_bytes, health_check_interval, request_ttl}, enable?, description?}")
    public Response create(JsonObject body) {
        return endpoints.create(body);
    }

    @GET
    @Path("{id}")
    @ApiDoc(summary = "One action by id (type:name), with its status", notFound = true)
    public JsonElement get(@PathParam("id") String id) {
        return endpoints.get(id);
    }

    @PUT
    @Path("{id}")
    @ApiDoc(summary = "Replace the configuration of a action (type and name come from the id)", notFound = true,
            body = "the same fields as on create, type and name optional")
    public JsonElement update(@PathParam("id") String id, JsonObject body) {
        return endpoints.update(id, body);
    }

    @DELETE
    @Path("{id}")
    @ApiDoc(summary = "Delete an action and its buffered records (400 while rules use it, unless"
            + " also_delete_dep_actions=true removes it from them)", status = 204, notFound = true,
            query = {"also_delete_dep_actions"})
    public Response delete(@PathParam("id") String id, @QueryParam("also_delete_dep_actions") String alsoDelete) {
        return endpoints.delete(id, alsoDelete);
    }

    @POST
    @Path("{id}/{operation}")
    @ApiDoc(summary = "Run an operation on a action: start, stop or restart", status = 204, notFound = true)
    public Response operate(@PathParam("id") String id, @PathParam("operation") String operation) {
        return endpoints.operate(id, operation);
    }

    @PUT
    @Path("{id}/enable/{enable}")
    @ApiDoc(summary = "Enable (true) or disable (false) a action", status = 204, notFound = true)
    public Response enable(@PathParam("id") String id, @PathParam("enable") String enable) {
        return endpoints.enable(id, enable);
    }

    @GET
    @Path("{id}/metrics")
    @ApiDoc(summary = "Metrics of the action: matched, success, failed, dropped (and by reason), retried, queuing,"
            + " inflight, late_reply, received, latency", notFound = true)
    public JsonObject metrics(@PathParam("id") String id) {
        return endpoints.metrics(id);
    }

    @PUT
    @Path("{id}/metrics/reset")
    @ApiDoc(summary = "Zero the counters of the action", status = 204, notFound = true)
    public Response resetMetrics(@PathParam("id") String id) {
        return endpoints.resetMetrics(id);
    }
}
