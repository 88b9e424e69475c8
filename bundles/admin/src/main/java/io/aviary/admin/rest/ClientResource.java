package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.error.ApiException;
import io.aviary.api.broker.ClientSnapshot;
import io.aviary.api.client.ClientInfo;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's /clients for the default tenant: a page of sessions with meta {count, limit, page,
 * hasnext}, one client, and kick (DELETE). Query parameters are parsed here, not by Jersey,
 * so that a bad one is a 400 naming it rather than Jersey's 404.
 */
@Path("clients")
@Produces(MediaType.APPLICATION_JSON)
public final class ClientResource {

    private static final Logger LOG = LoggerFactory.getLogger(ClientResource.class);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    private static final String TENANT = ClientInfo.DEFAULT_TENANT;

    private final Services services;
    private final String node;

    public ClientResource(Services services, String node) {
        this.services = services;
        this.node = node;
    }

    @GET
    public JsonObject list(@QueryParam("page") String pageParam, @QueryParam("limit") String limitParam) {
        int page = QueryParams.integer("page", pageParam, 1, 1, Integer.MAX_VALUE);
        int limit = QueryParams.integer("limit", limitParam, DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<ClientSnapshot> all = services.broker().clients(TENANT);
        long from = (long) (page - 1) * limit;
        JsonArray data = new JsonArray();
        for (long i = from; i < Math.min(all.size(), from + limit); i++) {
            data.add(ClientJson.of(all.get((int) i), node));
        }
        JsonObject meta = new JsonObject();
        meta.addProperty("count", all.size());
        meta.addProperty("limit", limit);
        meta.addProperty("page", page);
        meta.addProperty("hasnext", from + limit < all.size());
        JsonObject result = new JsonObject();
        result.add("data", data);
        result.add("meta", meta);
        return result;
    }

    @GET
    @Path("{clientid}")
    public JsonObject get(@PathParam("clientid") String clientId) {
        return services.broker().client(TENANT, clientId).map(s -> ClientJson.of(s, node))
                .orElseThrow(() -> notFound(clientId));
    }

    @DELETE
    @Path("{clientid}")
    public Response kick(@PathParam("clientid") String clientId) {
        if (!services.broker().kick(TENANT, clientId)) {
            throw notFound(clientId);
        }
        LOG.info("admin api: tenant {} client {} kicked", TENANT, clientId);
        return Response.noContent().build();
    }

    private static ApiException notFound(String clientId) {
        return ApiException.notFound("CLIENTID_NOT_FOUND", "Client ID not found: " + clientId);
    }
}
