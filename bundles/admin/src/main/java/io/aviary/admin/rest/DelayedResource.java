package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** EMQX's delayed-publish API: the held $delayed/{seconds}/{topic} messages, and dropping one. */
@TenantScoped
@Path("mqtt/delayed")
@Produces(MediaType.APPLICATION_JSON)
public final class DelayedResource {

    private final Services services;
    private final String node;

    public DelayedResource(Services services, String node) {
        this.services = services;
        this.node = node;
    }

    @GET
    @Path("messages")
    @ApiDoc(summary = "Delayed messages, soonest first, paged", query = {"page", "limit"})
    public JsonObject list(@QueryParam("page") String page, @QueryParam("limit") String limit) {
        long now = System.currentTimeMillis();
        return Page.of(page, limit).answer(services.queries().delayed(TenantScope.current()), d -> MessageJson.delayed(d, node, now));
    }

    @DELETE
    @Path("messages/{msgid}")
    @ApiDoc(summary = "Drop a delayed message before it is published", status = 204, notFound = true)
    public Response delete(@PathParam("msgid") String msgId) {
        if (!services.queries().deleteDelayed(TenantScope.current(), msgId)) {
            throw ApiException.notFound("NOT_FOUND", "Delayed message not found: " + msgId);
        }
        return Response.noContent().build();
    }
}
