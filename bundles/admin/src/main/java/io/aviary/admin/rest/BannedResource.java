package io.aviary.admin.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.broker.Ban;
import io.aviary.api.broker.BanList;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's /banned: list the ban list (with EMQX's filters), ban a client id, username, peer
 * address, CIDR block or client id / username pattern until a time, lift one ban or all. The broker's BanList service enforces it at CONNECT (0x8A).
 */
@TenantScoped
@Path("banned")
@Produces(MediaType.APPLICATION_JSON)
public final class BannedResource {

    private static final Logger LOG = LoggerFactory.getLogger(BannedResource.class);
    private final Services services;
    private final Clock clock;

    public BannedResource(Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    @GET
    @ApiDoc(summary = "The ban list, oldest first, paged; at most one filter: an exact clientid, username or"
            + " peerhost, or a like_clientid, like_username, like_peerhost or like_peerhost_net regular expression",
            query = {"page", "limit", "clientid", "username", "peerhost", "like_clientid", "like_username",
                    "like_peerhost", "like_peerhost_net"})
    public JsonObject list(@Context UriInfo uri) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        Page paging = Page.of(query.getFirst("page"), query.getFirst("limit"));
        Predicate<Ban> filter = BanFilter.of(query);
        List<Ban> all = services.banList().list(TenantScope.current()).stream().filter(filter)
                .sorted(Comparator.comparingLong(Ban::at).thenComparing(Ban::who)).toList();
        return paging.answer(all, BannedResource::toJson);
    }

    @DELETE
    @ApiDoc(summary = "Lift every ban", status = 204)
    public Response clear() {
        BanList bans = services.banList();
        int lifted = 0;
        for (Ban ban : bans.list(TenantScope.current())) {
            if (bans.remove(ban.tenant(), ban.as(), ban.who())) {
                lifted++;
            }
        }
        LOG.info("admin api: tenant={} ban list cleared ({} bans lifted)", TenantScope.current(), lifted);
        return Response.noContent().build();
    }

    @POST
    @ApiDoc(summary = "Ban a client id, username, peer host (address or CIDR block) or a client id or username"
            + " pattern until a time (default: for ever); a client id ban also disconnects that client",
            body = "{as: clientid|username|peerhost|peerhost_net|clientid_re|username_re, who, by?, reason?, at?,"
                    + " until? (RFC 3339, epoch seconds or \"infinity\")}")
    public Response create(JsonObject body) {
        JsonFields fields = JsonFields.of(body);
        String asText = fields.requiredString("as");
        String who = fields.requiredString("who");
        if (who.isEmpty() || who.length() > 256) {
            throw ApiException.badRequest("field 'who' must be 1 to 256 characters");
        }
        Ban.As as = kind(asText, who);
        Instant now = clock.instant();
        Instant at = fields.has("at") ? time(body, "at") : now;
        Instant until = fields.has("until") ? time(body, "until") : Instant.ofEpochMilli(Long.MAX_VALUE);
        if (!until.isAfter(now)) {
            throw ApiException.badRequest("field 'until' must be in the future");
        }
        String by = fields.string("by", "api");
        String reason = fields.string("reason", "");
        if (by.length() > 256 || reason.length() > 1024) {
            throw ApiException.badRequest("field " + (by.length() > 256 ? "'by'" : "'reason'") + " is too long");
        }
        Ban existing = services.banList().list(TenantScope.current()).stream()
                .filter(b -> b.as() == as && b.who().equals(who))
                .findFirst().orElse(null);
        if (existing != null) {
            // EMQX answers an existing (as, who) with 400 ALREADY_EXISTS, the old ban as JSON in the message.
            throw new ApiException(400, "ALREADY_EXISTS", toJson(existing).toString());
        }
        Ban ban;
        try {
            ban = services.banList().add(new Ban(TenantScope.current(), as, who, by, reason, at.toEpochMilli(),
                    until.toEpochMilli()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field 'who' is not a valid " + asText + ": " + e.getMessage());
        }
        LOG.info("admin api: tenant={} banned {} '{}' until {} by {}", ban.tenant(), asText, who, until, by);
        if (as == Ban.As.CLIENTID && services.broker() != null) {
            services.broker().kick(ban.tenant(), who); // as EMQX: the banned client goes now, not at its next CONNECT
        }
        return Response.ok(toJson(ban)).build();
    }

    @DELETE
    @Path("{as}/{who}")
    @ApiDoc(summary = "Lift a ban", status = 204, notFound = true)
    public Response delete(@PathParam("as") String asText, @PathParam("who") String who) {
        Ban.As as = kind(asText, who);
        if (!services.banList().remove(TenantScope.current(), as, who)) {
            throw ApiException.notFound("NOT_FOUND", "no ban for " + asText + " '" + who + "'");
        }
        LOG.info("admin api: tenant={} unbanned {} '{}'", TenantScope.current(), asText, who);
        return Response.noContent().build();
    }

    /** "peerhost" takes an address or a CIDR block; EMQX's "peerhost_net" (CIDR only) is accepted too. */
    private static Ban.As kind(String as, String who) {
        switch (as) {
            case "clientid":
                return Ban.As.CLIENTID;
            case "username":
                return Ban.As.USERNAME;
            case "clientid_re":
            case "username_re":
                checkPattern(who);
                return as.equals("clientid_re") ? Ban.As.CLIENTID_RE : Ban.As.USERNAME_RE;
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
                throw ApiException.badRequest("field 'as' must be clientid, username, peerhost, peerhost_net,"
                        + " clientid_re or username_re");
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

    private static void checkPattern(String who) {
        try {
            java.util.regex.Pattern.compile(who);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw ApiException.badRequest("field 'who' is not a regular expression: " + e.getDescription());
        }
    }

    /** EMQX's epoch_second: an RFC 3339 time or whole seconds since the epoch; until may be "infinity". */
    private static Instant time(JsonObject body, String field) {
        JsonElement value = body.get(field);
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            try {
                return Instant.ofEpochSecond(value.getAsJsonPrimitive().getAsBigDecimal().longValueExact());
            } catch (ArithmeticException | java.time.DateTimeException e) {
                throw ApiException.badRequest("field '" + field + "' must be whole epoch seconds");
            }
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw ApiException.badRequest("field '" + field + "' must be an RFC 3339 time or epoch seconds");
        }
        String text = value.getAsString();
        return "until".equals(field) && "infinity".equals(text) ? Instant.ofEpochMilli(Long.MAX_VALUE)
                : Rfc3339.parse(field, text);
    }

    static JsonObject toJson(Ban ban) {
        JsonObject o = new JsonObject();
        String as = switch (ban.as()) {
            case CLIENTID -> "clientid";
            case USERNAME -> "username";
            case PEERHOST -> "peerhost";
            case PEERHOST_NET -> "peerhost_net";
            case CLIENTID_RE -> "clientid_re";
            case USERNAME_RE -> "username_re";
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
