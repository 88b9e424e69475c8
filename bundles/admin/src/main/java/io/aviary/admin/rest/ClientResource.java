package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.broker.ClientSnapshot;
import io.aviary.api.broker.PendingMessage;
import io.aviary.api.broker.SubscriptionInfo;
import io.aviary.api.broker.SubscriptionOptions;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's /clients for the default tenant: the filtered, paged list, one client, kick (one or
 * bulk), the client's subscriptions, subscribe/unsubscribe on its behalf, and its queued and
 * inflight messages. Query parameters are parsed here, not by Jersey, so that a bad one is a
 * 400 naming it rather than Jersey's 404.
 */
@TenantScoped
@Path("clients")
@Produces(MediaType.APPLICATION_JSON)
public final class ClientResource {

    private static final Logger LOG = LoggerFactory.getLogger(ClientResource.class);
    static final int MAX_BULK = 1000;

    private final Services services;
    private final String node;

    public ClientResource(Services services, String node) {
        this.services = services;
        this.node = node;
    }

    @GET
    @ApiDoc(summary = "List clients, filtered and paged",
            query = {"page", "limit", "username", "ip_address", "conn_state", "clean_start", "proto_ver",
                "like_clientid", "like_username", "gte_created_at", "lte_created_at", "gte_connected_at",
                "lte_connected_at"})
    public JsonObject list(@Context UriInfo uri, @QueryParam("page") String page, @QueryParam("limit") String limit) {
        Page paging = Page.of(page, limit);
        Predicate<ClientSnapshot> filter = ClientFilter.parse(uri.getQueryParameters());
        List<ClientSnapshot> matching = new ArrayList<>();
        for (ClientSnapshot s : services.broker().clients(TenantScope.current())) {
            if (filter.test(s)) {
                matching.add(s);
            }
        }
        return paging.answer(matching, s -> ClientJson.of(s, node));
    }

    @GET
    @Path("{clientid}")
    @ApiDoc(summary = "One client", notFound = true)
    public JsonObject get(@PathParam("clientid") String clientId) {
        return services.broker().client(TenantScope.current(), clientId).map(s -> ClientJson.of(s, node))
                .orElseThrow(() -> notFound(clientId));
    }

    @DELETE
    @Path("{clientid}")
    @ApiDoc(summary = "Kick a client: DISCONNECT 0x98 and its session discarded", status = 204, notFound = true)
    public Response kick(@PathParam("clientid") String clientId) {
        if (!services.broker().kick(TenantScope.current(), clientId)) {
            throw notFound(clientId);
        }
        LOG.info("admin api: tenant {} client {} kicked", TenantScope.current(), clientId);
        return Response.noContent().build();
    }

    @POST
    @Path("kickout/bulk")
    @ApiDoc(summary = "Kick several clients: a JSON array of client ids", status = 204, body = "array of client ids")
    public Response kickBulk(JsonArray clientIds) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < clientIds.size(); i++) {
            JsonElement e = clientIds.get(i);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw ApiException.badRequest("element " + i + " of the body must be a client id string");
            }
            ids.add(e.getAsString());
        }
        bounded(ids.size());
        for (String id : ids) {
            if (services.broker().kick(TenantScope.current(), id)) {
                LOG.info("admin api: tenant {} client {} kicked", TenantScope.current(), id);
            }
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{clientid}/subscriptions")
    @ApiDoc(summary = "The client's subscriptions", notFound = true)
    public JsonArray subscriptions(@PathParam("clientid") String clientId) {
        existing(clientId);
        JsonArray out = new JsonArray();
        for (SubscriptionInfo s : services.broker().subscriptions(TenantScope.current(), clientId)) {
            out.add(MessageJson.subscription(s, node));
        }
        return out;
    }

    @POST
    @Path("{clientid}/subscribe")
    @ApiDoc(summary = "Subscribe on the client's behalf: {topic, qos, nl, rap, rh}", notFound = true,
            body = "{topic, qos, nl, rap, rh}")
    public JsonObject subscribe(@PathParam("clientid") String clientId, JsonObject body) {
        existing(clientId);
        return subscribeOne(clientId, body, "");
    }

    @POST
    @Path("{clientid}/subscribe/bulk")
    @ApiDoc(summary = "Subscribe on the client's behalf to several topics", notFound = true,
            body = "array of {topic, qos, nl, rap, rh}")
    public JsonArray subscribeBulk(@PathParam("clientid") String clientId, JsonArray body) {
        existing(clientId);
        bounded(body.size());
        List<JsonObject> items = objects(body);
        for (int i = 0; i < items.size(); i++) {
            parseSubscription(items.get(i), "element " + i + ": "); // all valid before any is applied
        }
        JsonArray out = new JsonArray();
        for (int i = 0; i < items.size(); i++) {
            out.add(subscribeOne(clientId, items.get(i), "element " + i + ": "));
        }
        return out;
    }

    @POST
    @Path("{clientid}/unsubscribe")
    @ApiDoc(summary = "Unsubscribe the client from one topic filter: {topic}", status = 204, notFound = true,
            body = "{topic}")
    public Response unsubscribe(@PathParam("clientid") String clientId, JsonObject body) {
        existing(clientId);
        String topic = JsonFields.of(body).requiredString("topic");
        services.broker().unsubscribe(TenantScope.current(), clientId, topic);
        LOG.info("admin api: tenant {} client {} unsubscribed from {}", TenantScope.current(), clientId, topic);
        return Response.noContent().build();
    }

    @POST
    @Path("{clientid}/unsubscribe/bulk")
    @ApiDoc(summary = "Unsubscribe the client from several topic filters", status = 204, notFound = true,
            body = "array of {topic}")
    public Response unsubscribeBulk(@PathParam("clientid") String clientId, JsonArray body) {
        existing(clientId);
        bounded(body.size());
        List<String> topics = new ArrayList<>();
        List<JsonObject> items = objects(body);
        for (int i = 0; i < items.size(); i++) {
            try {
                topics.add(JsonFields.of(items.get(i)).requiredString("topic"));
            } catch (ApiException e) {
                throw ApiException.badRequest("element " + i + ": " + e.getMessage());
            }
        }
        for (String topic : topics) {
            services.broker().unsubscribe(TenantScope.current(), clientId, topic);
        }
        LOG.info("admin api: tenant {} client {} unsubscribed from {}", TenantScope.current(), clientId, topics);
        return Response.noContent().build();
    }

    @GET
    @Path("{clientid}/mqueue_messages")
    @ApiDoc(summary = "Messages queued for the client", query = {"page", "limit", "payload"}, notFound = true)
    public JsonObject mqueue(@PathParam("clientid") String clientId, @QueryParam("page") String page,
                             @QueryParam("limit") String limit, @QueryParam("payload") String payload) {
        return pending(services.queries().mqueue(TenantScope.current(), clientId), clientId, page, limit, payload);
    }

    @GET
    @Path("{clientid}/inflight_messages")
    @ApiDoc(summary = "Messages sent to the client and not yet acknowledged", query = {"page", "limit", "payload"},
            notFound = true)
    public JsonObject inflight(@PathParam("clientid") String clientId, @QueryParam("page") String page,
                               @QueryParam("limit") String limit, @QueryParam("payload") String payload) {
        return pending(services.queries().inflight(TenantScope.current(), clientId), clientId, page, limit, payload);
    }

    private JsonObject pending(Optional<List<PendingMessage>> messages, String clientId, String page, String limit,
                               String payload) {
        Page paging = Page.of(page, limit);
        String mode = MessageJson.payloadMode(payload);
        return paging.answer(messages.orElseThrow(() -> notFound(clientId)), m -> MessageJson.pending(m, mode));
    }

    private JsonObject subscribeOne(String clientId, JsonObject body, String where) {
        Parsed p = parseSubscription(body, where);
        if (!services.broker().subscribe(TenantScope.current(), clientId, p.topic, p.options)) {
            // The session ended in between, or the broker refused the filter (e.g. wildcards disabled).
            if (services.broker().client(TenantScope.current(), clientId).isEmpty()) {
                throw notFound(clientId);
            }
            throw ApiException.badRequest(where + "the broker refused topic filter '" + p.topic + "'");
        }
        LOG.info("admin api: tenant {} client {} subscribed to {} qos {}", TenantScope.current(), clientId, p.topic, p.options.qos());
        JsonObject out = new JsonObject();
        out.addProperty("clientid", clientId);
        out.addProperty("topic", p.topic);
        out.addProperty("qos", p.options.qos());
        out.addProperty("node", node);
        return out;
    }

    private record Parsed(String topic, SubscriptionOptions options) {
    }

    private static Parsed parseSubscription(JsonObject body, String where) {
        try {
            JsonFields f = JsonFields.of(body);
            String topic = TopicNames.validFilter("topic", f.requiredString("topic"));
            int qos = f.integer("qos", 0, 0, 2);
            int nl = f.integer("nl", 0, 0, 1);
            int rap = f.integer("rap", 0, 0, 1);
            int rh = f.integer("rh", 0, 0, 2);
            return new Parsed(topic, new SubscriptionOptions(qos, nl == 1, rap == 1, rh, 0));
        } catch (ApiException e) {
            throw where.isEmpty() ? e : ApiException.badRequest(where + e.getMessage());
        }
    }

    private static List<JsonObject> objects(JsonArray body) {
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            if (!body.get(i).isJsonObject()) {
                throw ApiException.badRequest("element " + i + " of the body must be a JSON object");
            }
            out.add(body.get(i).getAsJsonObject());
        }
        return out;
    }

    private static void bounded(int size) {
        if (size == 0 || size > MAX_BULK) {
            throw ApiException.badRequest("the body must hold 1 to " + MAX_BULK + " elements, was " + size);
        }
    }

    private void existing(String clientId) {
        if (services.broker().client(TenantScope.current(), clientId).isEmpty()) {
            throw notFound(clientId);
        }
    }

    @GET
    @Path("{clientid}/authorization/cache")
    @ApiDoc(summary = "The client's cached authorization answers: [{topic, action, access, qos, retain, result, updated_time}]",
            notFound = true)
    public JsonArray authzCache(@PathParam("clientid") String clientId) {
        java.util.List<io.aviary.api.auth.AuthzCacheEntry> entries;
        try {
            entries = services.authz().cache(TenantScope.current(), clientId).toCompletableFuture()
                    .get(5, java.util.concurrent.TimeUnit.SECONDS).orElseThrow(() -> notFound(clientId));
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw ApiException.unavailable("the client's connection did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
        JsonArray out = new JsonArray();
        for (io.aviary.api.auth.AuthzCacheEntry e : entries) {
            JsonObject o = new JsonObject();
            String action = e.action().name().toLowerCase(java.util.Locale.ROOT);
            o.addProperty("topic", e.topic());
            o.addProperty("action", action);
            o.addProperty("access", action); // EMQX's name of the field
            o.addProperty("qos", e.qos());
            o.addProperty("retain", e.retain());
            o.addProperty("result", e.result().name().toLowerCase(java.util.Locale.ROOT));
            o.addProperty("updated_time", e.updatedAt());
            out.add(o);
        }
        return out;
    }

    @DELETE
    @Path("{clientid}/authorization/cache")
    @ApiDoc(summary = "Forget the client's cached authorization answers (the sources are asked again)", status = 204,
            notFound = true)
    public Response clearAuthzCache(@PathParam("clientid") String clientId) {
        if (!services.authz().clearCache(TenantScope.current(), clientId)) {
            throw notFound(clientId);
        }
        return Response.noContent().build();
    }

    static ApiException notFound(String clientId) {
        return ApiException.notFound("CLIENTID_NOT_FOUND", "Client ID not found: " + clientId);
    }
}
