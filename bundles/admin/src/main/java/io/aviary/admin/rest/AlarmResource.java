package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.error.ApiException;
import io.aviary.api.alarm.Alarm;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** EMQX's /alarms: active and deactivated alarms, and deleting the deactivated ones. */
@Path("alarms")
@Produces(MediaType.APPLICATION_JSON)
public final class AlarmResource {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmResource.class);

    private final Services services;
    private final String node;

    public AlarmResource(Services services, String node) {
        this.services = services;
        this.node = node;
    }

    @GET
    @ApiDoc(summary = "Alarms, paged; activated=true for the active ones, false for the cleared ones",
            query = {"activated", "page", "limit"})
    public JsonObject list(@QueryParam("activated") String activated, @QueryParam("page") String page,
                           @QueryParam("limit") String limit) {
        Page paging = Page.of(page, limit);
        Boolean want = activated == null ? null : switch (activated) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest("query parameter 'activated' must be true or false");
        };
        long now = System.currentTimeMillis();
        List<Alarm> all = services.alarms().list().stream()
                .filter(a -> want == null || a.activated() == want).toList();
        return paging.answer(all, a -> toJson(a, node, now));
    }

    @DELETE
    @ApiDoc(summary = "Delete the deactivated alarms", status = 204)
    public Response clearDeactivated() {
        int n = services.alarms().deleteDeactivated();
        LOG.info("admin api: {} deactivated alarms deleted", n);
        return Response.noContent().build();
    }

    static JsonObject toJson(Alarm a, String node, long now) {
        JsonObject o = new JsonObject();
        o.addProperty("node", node);
        o.addProperty("name", a.name());
        o.addProperty("message", a.message());
        JsonObject details = new JsonObject();
        a.details().forEach(details::addProperty);
        o.add("details", details);
        o.addProperty("activated", a.activated());
        o.addProperty("activate_at", Rfc3339.formatMillis(a.activatedAt()));
        if (a.activated()) {
            o.addProperty("duration", Math.max(0, now - a.activatedAt()));
        } else {
            o.addProperty("deactivate_at", Rfc3339.formatMillis(a.deactivatedAt()));
            o.addProperty("duration", a.deactivatedAt() - a.activatedAt());
        }
        return o;
    }
}
