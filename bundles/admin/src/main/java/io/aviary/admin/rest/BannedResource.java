package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.broker.Ban;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's /banned: list the ban list, ban a client id, username, peer address or CIDR block
 * until a time, and lift a ban. The broker's BanList service enforces it at CONNECT (0x8A).
 */
@Path("banned")
@Produces(MediaType.APPLICATION_JSON)
public final class BannedResource {

    private static final Logger LOG = LoggerFactory.getLogger(BannedResource.class);
    /** EMQX's default when a ban names no end: one year after it was added. */
    private static final Duration DEFAULT_DURATION = Duration.ofDays(365);

    private final Services services;
    private final Clock clock;

    public BannedResource(Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    @GET
    @ApiDoc(summary = "The ban list, oldest first, paged", query = {"page", "limit"})
    public JsonObject list(@QueryParam("page") String page, @QueryParam("limit") String limit) {
        Page paging = Page.of(page, limit);
        List<Ban> all = services.banList().list().stream()
                .sorted(Comparator.comparingLong(Ban::at).thenComparing(Ban::who)).toList();
        return paging.answer(all, BannedResource::toJson);
    }

    @POST
    @ApiDoc(summary = "Ban a client id, username or peer host (address or CIDR block) until a time",
            body = "{as: clientid|username|peerhost, who, by?, reason?, at?, until?}")
    public Response create(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String asText = fields.requiredString("as");
        String who = fields.requiredString("who");
        if (who.isEmpty() || who.length() > 256) {
            throw ApiException.badRequest("field 'who' must be 1 to 256 characters");
        }
        Ban.As as = kind(asText, who);
        Instant now = clock.instant();
        Instant at = fields.has("at") ? Rfc3339.parse("at", fields.string("at", null)) : now;
        Instant until = fields.has("until") ? until(fields.string("until", null)) : at.plus(DEFAULT_DURATION);
        if (!until.isAfter(now)) {
            throw ApiException.badRequest("field 'until' must be in the future");
        }
        String by = fields.string("by", "api");
        String reason = fields.string("reason", "");
        if (by.length() > 256 || reason.length() > 1024) {
            throw ApiException.badRequest("field " + (by.length() > 256 ? "'by'" : "'reason'") + " is too long");
        }
        boolean exists = services.banList().list().stream().anyMatch(b -> b.as() == as && b.who().equals(who));
        if (exists) {
            // EMQX answers an existing (as, who) with 400 ALREADY_EXISTS rather than replacing it.
            throw new ApiException(400, "ALREADY_EXISTS", "a ban for " + asText + " '" + who + "' already exists");
        }
        Ban ban;
        try {
            ban = services.banList().add(new Ban(as, who, by, reason, at.toEpochMilli(), until.toEpochMilli()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field 'who' is not a valid " + asText + ": " + e.getMessage());
        }
        LOG.info("admin api: banned {} '{}' until {} by {}", asText, who, until, by);
        return Response.ok(toJson(ban)).build();
    }

    @DELETE
    @Path("{as}/{who}")
    @ApiDoc(summary = "Lift a ban", status = 204, notFound = true)
    public Response delete(@PathParam("as") String asText, @PathParam("who") String who) {
        Ban.As as = kind(asText, who);
        if (!services.banList().remove(as, who)) {
            throw ApiException.notFound("NOT_FOUND", "no ban for " + asText + " '" + who + "'");
        }
        LOG.info("admin api: unbanned {} '{}'", asText, who);
        return Response.noContent().build();
    }

    /** "peerhost" takes an address or a CIDR block; EMQX's "peerhost_net" (CIDR only) is accepted too. */
    private static Ban.As kind(String as, String who) {
        switch (as) {
            case "clientid":
                return Ban.As.CLIENTID;
            case "username":
                return Ban.As.USERNAME;
            case "peerhost":
            case "peerhost_net":
                if (who.contains("/")) {
                    checkCidr(who);
                    return Ban.As.PEERHOST_NET;
                }
                if ("peerhost_net".equals(as)) {
                    throw ApiException.badRequest("field 'who' must be a CIDR block such as 10.0.0.0/8");
                }
                checkAddress(who);
                return Ban.As.PEERHOST;
            default:
                throw ApiException.badRequest("field 'as' must be \"clientid\", \"username\" or \"peerhost\"");
        }
    }

    private static void checkCidr(String who) {
        int slash = who.indexOf('/');
        checkAddress(who.substring(0, slash));
        int max = who.indexOf(':') >= 0 ? 128 : 32;
        try {
            int bits = Integer.parseInt(who.substring(slash + 1));
            if (bits < 0 || bits > max) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("field 'who' has a bad prefix length (0 to " + max + "): " + who);
        }
    }

    /** An IP literal only: a host name would make the JDK resolve it, and bans match addresses. */
    private static void checkAddress(String text) {
        boolean ok = !text.isEmpty() && text.length() <= 45
                && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
        if (ok) {
            try {
                java.net.InetAddress.getByName(text);
                if (text.indexOf(':') < 0 && text.split("\\.", -1).length != 4) {
                    ok = false;
                }
            } catch (java.net.UnknownHostException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw ApiException.badRequest("field 'who' must be an IP address or a CIDR block, not '" + text + "'");
        }
    }

    private static Instant until(String text) {
        return "infinity".equals(text) ? Instant.ofEpochMilli(Long.MAX_VALUE) : Rfc3339.parse("until", text);
    }

    static JsonObject toJson(Ban ban) {
        JsonObject o = new JsonObject();
        String as = switch (ban.as()) {
            case CLIENTID -> "clientid";
            case USERNAME -> "username";
            case PEERHOST, PEERHOST_NET -> "peerhost";
        };
        o.addProperty("as", as);
        o.addProperty("who", ban.who());
        o.addProperty("by", ban.by());
        o.addProperty("reason", ban.reason());
        o.addProperty("at", Rfc3339.formatMillis(ban.at()));
        o.addProperty("until", ban.until() == Long.MAX_VALUE ? "infinity" : Rfc3339.formatMillis(ban.until()));
        return o;
    }

}
