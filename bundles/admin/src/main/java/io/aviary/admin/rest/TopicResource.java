package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.api.broker.SubscriptionInfo;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * EMQX's route view, GET /topics and GET /topics/{topic}: the distinct topic filters the
 * tenant's clients subscribe to (shared ones without their $share/{group}/ prefix).
 */
@TenantScoped
@Path("topics")
@Produces(MediaType.APPLICATION_JSON)
public final class TopicResource {


    private final Services services;
    private final String node;

    public TopicResource(Services services, String node) {
        this.services = services;
        this.node = node;
    }

    @GET
    @ApiDoc(summary = "Subscribed topic filters (routes), paged", query = {"page", "limit", "topic"})
    public JsonObject topics(@QueryParam("page") String page, @QueryParam("limit") String limit,
                             @QueryParam("topic") String topic) {
        Page paging = Page.of(page, limit);
        List<String> routes = new ArrayList<>();
        for (String t : routes()) {
            if (topic == null || topic.equals(t)) {
                routes.add(t);
            }
        }
        return paging.answer(routes, this::route);
    }

    @GET
    @Path("{topic: .+}")
    @ApiDoc(summary = "One route; the topic filter URL-encoded ('/' as %2F)", notFound = true)
    public JsonArray topic(@PathParam("topic") String topic) {
        if (!routes().contains(topic)) {
            throw ApiException.notFound("TOPIC_NOT_FOUND", "Topic not found: " + topic);
        }
        JsonArray out = new JsonArray();
        out.add(route(topic));
        return out;
    }

    private Set<String> routes() {
        Set<String> out = new LinkedHashSet<>();
        for (SubscriptionInfo s : services.broker().subscriptions(TenantScope.current())) {
            out.add(SubscriptionResource.plainFilter(s));
        }
        return out;
    }

    private JsonObject route(String topic) {
        JsonObject o = new JsonObject();
        o.addProperty("topic", topic);
        o.addProperty("node", node);
        return o;
    }
}
