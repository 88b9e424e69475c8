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

/** EMQX's retainer API: list retained messages (no payloads), show one with its payload, delete one. */
@TenantScoped
@Path("mqtt/retainer")
@Produces(MediaType.APPLICATION_JSON)
public final class RetainerResource {

    private final Services services;

    public RetainerResource(Services services) {
        this.services = services;
    }

    @GET
    @Path("messages")
    @ApiDoc(summary = "Retained messages, paged (without payloads)", query = {"page", "limit"})
    public JsonObject list(@QueryParam("page") String page, @QueryParam("limit") String limit) {
        return Page.of(page, limit).answer(services.queries().retained(TenantScope.current()), m -> MessageJson.retained(m, false));
    }

    @GET
    @Path("message/{topic: .+}")
    @ApiDoc(summary = "The retained message of a topic (URL-encoded), payload in base64", notFound = true)
    public JsonObject get(@PathParam("topic") String topic) {
        TopicNames.validName("topic", topic);
        return services.queries().retained(TenantScope.current(), topic).map(m -> MessageJson.retained(m, true))
                .orElseThrow(() -> notFound(topic));
    }

    @DELETE
    @Path("message/{topic: .+}")
    @ApiDoc(summary = "Delete the retained message of a topic", status = 204, notFound = true)
    public Response delete(@PathParam("topic") String topic) {
        TopicNames.validName("topic", topic);
        if (!services.queries().deleteRetained(TenantScope.current(), topic)) {
            throw notFound(topic);
        }
        return Response.noContent().build();
    }

    private static ApiException notFound(String topic) {
        return ApiException.notFound("NOT_FOUND", "Viewed message doesn't exist: " + topic);
    }
}
