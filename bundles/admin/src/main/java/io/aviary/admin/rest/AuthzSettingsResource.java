package io.aviary.admin.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.api.auth.AuthzSettings;
import io.aviary.api.auth.Decision;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX 5's {@code /authorization/settings} (no_match, deny_action, cache) and
 * {@code DELETE /authorization/cache}, for the caller's tenant: its settings override the node's
 * {@code authorization.*} and are kept with the tenant. A PUT changes the fields it names and
 * keeps the others; a bad value is a 400 naming the field.
 */
@TenantScoped
@Path("authorization")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthzSettingsResource {
    private static final Logger LOG = LoggerFactory.getLogger(AuthzSettingsResource.class);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private final Services services;

    public AuthzSettingsResource(Services services) {
        this.services = services;
    }

    @GET
    @Path("settings")
    @ApiDoc(summary = "The tenant's authorization settings: {no_match, deny_action, cache: {enable, max_size, ttl}}")
    public JsonObject get() {
        return toJson(current(TenantScope.current()));
    }

    @PUT
    @Path("settings")
    @ApiDoc(summary = "Change the tenant's authorization settings (fields left out keep their values)",
            body = "{no_match?: allow|deny, deny_action?: ignore|disconnect, cache?: {enable?, max_size?, ttl?}}",
            also = {400})
    public JsonObject put(JsonObject body) {
        String tenant = TenantScope.current();
        AuthzSettings changed = merge(current(tenant), body == null ? new JsonObject() : body);
        AuthzSettings stored = services.authz().update(tenant, changed)
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "no tenant '" + tenant + "'"));
        LOG.info("admin api: tenant={} authorization settings changed: {}", tenant, toJson(stored));
        return toJson(stored);
    }

    @DELETE
    @Path("cache")
    @ApiDoc(summary = "Forget the cached authorization answers of every connected client of the tenant", status = 204)
    public Response clearCache() {
        services.authz().clearCache(TenantScope.current());
        return Response.noContent().build();
    }

    private AuthzSettings current(String tenant) {
        return services.authz().settings(tenant)
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "no tenant '" + tenant + "'"));
    }

    static AuthzSettings merge(AuthzSettings s, JsonObject body) {
        Decision noMatch = s.noMatch();
        String v = choice(body, "no_match", "allow", "deny");
        if (v != null) {
            noMatch = v.equals("allow") ? Decision.ALLOW : Decision.DENY;
        }
        AuthzSettings.DenyAction denyAction = s.denyAction();
        v = choice(body, "deny_action", "ignore", "disconnect");
        if (v != null) {
            denyAction = v.equals("ignore") ? AuthzSettings.DenyAction.IGNORE : AuthzSettings.DenyAction.DISCONNECT;
        }
        boolean enable = s.cacheEnabled();
        int maxSize = s.cacheMaxSize();
        long ttl = s.cacheTtlMs();
        JsonElement c = body.get("cache");
        if (c != null && !c.isJsonNull()) {
            if (!c.isJsonObject()) {
                throw ApiException.badRequest("field 'cache' must be a JSON object");
            }
            JsonObject cache = c.getAsJsonObject();
            JsonElement e = cache.get("enable");
            if (e != null && !e.isJsonNull()) {
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                    throw ApiException.badRequest("field 'cache.enable' must be a boolean");
                }
                enable = e.getAsBoolean();
            }
            e = cache.get("max_size");
            if (e != null && !e.isJsonNull()) {
                maxSize = (int) wholeNumber(e, "cache.max_size", 1, 65_535);
            }
            e = cache.get("ttl");
            if (e != null && !e.isJsonNull()) {
                ttl = duration(e, "cache.ttl");
            }
        }
        return new AuthzSettings(noMatch, denyAction, enable, maxSize, ttl);
    }

    private static String choice(JsonObject body, String field, String a, String b) {
        JsonElement e = body.get(field);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        String v = e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
        if (!a.equals(v) && !b.equals(v)) {
            throw ApiException.badRequest("field '" + field + "' must be \"" + a + "\" or \"" + b + "\"");
        }
        return v;
    }

    private static long wholeNumber(JsonElement e, String field, long min, long max) {
        String range = "an integer from " + min + " to " + max;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw ApiException.badRequest("field '" + field + "' must be " + range);
        }
        try {
            long n = new java.math.BigDecimal(e.getAsString()).longValueExact();
            if (n < min || n > max) {
                throw ApiException.badRequest("field '" + field + "' must be " + range + ", was " + n);
            }
            return n;
        } catch (ArithmeticException | NumberFormatException bad) {
            throw ApiException.badRequest("field '" + field + "' must be " + range);
        }
    }

    /** EMQX's duration: "1m", "30s", "500ms", "1h", "1d", or a number of milliseconds; 1 ms to 24 days. */
    static long duration(JsonElement e, String field) {
        String expected = "field '" + field + "' must be a duration from 1ms to 24d, such as \"1m\", \"30s\" or \"500ms\"";
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            return wholeNumber(e, field, 1, Integer.MAX_VALUE);
        }
        Matcher m = e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
                ? DURATION.matcher(e.getAsString().trim().toLowerCase(Locale.ROOT)) : null;
        if (m == null || !m.matches()) {
            throw ApiException.badRequest(expected);
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        if (n < 1 || n > Integer.MAX_VALUE / unit) {
            throw ApiException.badRequest(expected);
        }
        return n * unit;
    }

    /** The largest unit that divides the milliseconds exactly: 60000 is "1m", 1500 "1500ms". */
    static String duration(long ms) {
        long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    static JsonObject toJson(AuthzSettings s) {
        JsonObject o = new JsonObject();
        o.addProperty("no_match", s.noMatch() == Decision.ALLOW ? "allow" : "deny");
        o.addProperty("deny_action", s.denyAction().name().toLowerCase(Locale.ROOT));
        JsonObject cache = new JsonObject();
        cache.addProperty("enable", s.cacheEnabled());
        cache.addProperty("max_size", s.cacheMaxSize());
        cache.addProperty("ttl", duration(s.cacheTtlMs()));
        o.add("cache", cache);
        return o;
    }
}
