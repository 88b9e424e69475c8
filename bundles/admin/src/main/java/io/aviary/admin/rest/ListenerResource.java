package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.error.ApiException;
import io.aviary.api.broker.ListenerInfo;
import io.aviary.api.broker.Listeners;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's /listeners: the broker's MQTT listeners with their state and connection counts, and
 * starting, stopping or restarting one (stopping drops its connections and frees its port).
 */
@Path("listeners")
@Produces(MediaType.APPLICATION_JSON)
public final class ListenerResource {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerResource.class);

    private final Services services;

    public ListenerResource(Services services) {
        this.services = services;
    }

    @GET
    @ApiDoc(summary = "The MQTT listeners: id (type:name), bind, running, current and max connections")
    public JsonArray list() {
        JsonArray array = new JsonArray();
        services.listeners().list().forEach(l -> array.add(toJson(l)));
        return array;
    }

    @GET
    @Path("{id}")
    @ApiDoc(summary = "One listener", notFound = true)
    public JsonObject get(@PathParam("id") String id) {
        return toJson(services.listeners().list().stream().filter(l -> l.id().equals(id)).findFirst()
                .orElseThrow(() -> notFound(id)));
    }

    @POST
    @Path("{id}/start")
    @ApiDoc(summary = "Bind a stopped listener", notFound = true)
    public JsonObject start(@PathParam("id") String id) {
        return act(id, "start", Listeners::start);
    }

    @POST
    @Path("{id}/stop")
    @ApiDoc(summary = "Close a listener's port and its connections", notFound = true)
    public JsonObject stop(@PathParam("id") String id) {
        return act(id, "stop", Listeners::stop);
    }

    @POST
    @Path("{id}/restart")
    @ApiDoc(summary = "Stop then start a listener (e.g. to load renewed certificates)", notFound = true)
    public JsonObject restart(@PathParam("id") String id) {
        return act(id, "restart", Listeners::restart);
    }

    private JsonObject act(String id, String action, BiFunction<Listeners, String, ListenerInfo> op) {
        Listeners listeners = services.listeners();
        try {
            ListenerInfo info = op.apply(listeners, id);
            LOG.info("admin api: listener {} {} (running={})", id, action, info.running());
            return toJson(info);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        } catch (IllegalStateException e) {
            LOG.warn("admin api: listener {} {} failed: {}", id, action, e.getMessage());
            throw new ApiException(500, "INTERNAL_ERROR", "listener " + id + " cannot " + action + ": " + e.getMessage());
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("NOT_FOUND", "listener '" + id + "' not found");
    }

    static JsonObject toJson(ListenerInfo l) {
        JsonObject o = new JsonObject();
        o.addProperty("id", l.id());
        o.addProperty("type", l.type());
        o.addProperty("name", l.name());
        o.addProperty("bind", l.bind());
        o.addProperty("bound_port", l.boundPort());
        o.addProperty("running", l.running());
        o.addProperty("enable", true);
        o.addProperty("current_connections", l.connections());
        if (l.maxConnections() == 0) {
            o.addProperty("max_connections", "infinity");
        } else {
            o.addProperty("max_connections", l.maxConnections());
        }
        o.addProperty("tenant", l.tenant());
        // EMQX 5 also nests the counts under "status".
        JsonObject status = new JsonObject();
        status.addProperty("running", l.running());
        status.addProperty("current_connections", l.connections());
        o.add("status", status);
        return o;
    }
}
