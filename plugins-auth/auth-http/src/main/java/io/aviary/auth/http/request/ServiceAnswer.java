package io.aviary.auth.http.request;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the service's response means, read as EMQX reads it (emqx_authn_http, emqx_authz_http):
 * 204 allows; 200 with a JSON (or form) body says {@code "result": "allow" | "deny" | "ignore"},
 * plus for authentication {@code is_superuser} (true, "true", 1, "1", ...), {@code client_attrs}
 * (string values; names of letters, digits, '-' and '_' only, so a service cannot set Aviary's own
 * dotted attributes) and {@code expire_at} (epoch seconds). Any other answer is a FAILURE, which
 * the instance turns into IGNORE or DENY as configured; except that authorization treats a status
 * other than 200/204 as no match (IGNORE), as EMQX does.
 *
 * @param expireAtMs for an authentication ALLOW with expire_at, when the client's access ends; else 0
 * @param acl        for an authentication ALLOW, the answer's {@code acl} field as JSON text, or null
 */
public record ServiceAnswer(Outcome outcome, boolean superuser, Map<String, String> clientAttrs, long expireAtMs,
                            String acl, String why) {

    public enum Outcome { ALLOW, DENY, IGNORE, FAILURE }

    private static final Pattern ATTR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final int MAX_ATTRS = 64;
    private static final int MAX_ATTR_VALUE = 1024;

    static ServiceAnswer of(Outcome o, String why) {
        return new ServiceAnswer(o, false, Map.of(), 0, null, why);
    }

    /** An authentication answer. */
    public static ServiceAnswer authn(int status, String contentType, byte[] body) {
        if (status == 204) {
            return of(Outcome.ALLOW, "204");
        }
        if (status != 200) {
            return of(Outcome.FAILURE, "status " + status);
        }
        if (contentType == null) {
            return of(Outcome.FAILURE, "no content-type");
        }
        JsonObject fields;
        try {
            fields = parse(contentType, body);
        } catch (RuntimeException e) {
            return of(Outcome.FAILURE, "unreadable body: " + e.getMessage());
        }
        String result = fields.has("result") ? text(fields.get("result")) : "ignore";
        switch (result) {
            case "deny":
                return of(Outcome.DENY, "the service denied");
            case "ignore":
                return of(Outcome.IGNORE, "the service ignored");
            case "allow":
                break;
            default:
                return of(Outcome.FAILURE, "result " + result);
        }
        long expireAt = 0;
        if (fields.has("expire_at")) {
            JsonElement e = fields.get("expire_at");
            long now = System.currentTimeMillis() / 1000;
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())) {
                return of(Outcome.DENY, "expire_at is not an integer (Unix epoch time in seconds)");
            }
            long sec = e.getAsLong();
            if (sec < now) {
                return of(Outcome.DENY, "expire_at is in the past");
            }
            if (sec > now * 1000 / 2) {
                return of(Outcome.DENY, "expire_at does not look like Unix epoch seconds");
            }
            expireAt = sec * 1000;
        }
        return new ServiceAnswer(Outcome.ALLOW, fields.has("is_superuser") && toBool(fields.get("is_superuser")),
                attrs(fields.get("client_attrs")), expireAt,
                fields.has("acl") && !fields.get("acl").isJsonNull() ? fields.get("acl").toString() : null, "the service allowed");
    }

    /** An authorization answer. */
    public static ServiceAnswer authz(int status, String contentType, byte[] body) {
        if (status == 204) {
            return of(Outcome.ALLOW, "204");
        }
        if (status != 200) {
            return of(Outcome.IGNORE, "status " + status);
        }
        JsonObject fields;
        try {
            fields = parse(contentType == null ? "application/json" : contentType, body);
        } catch (RuntimeException e) {
            return of(Outcome.FAILURE, "unreadable body: " + e.getMessage());
        }
        String result = fields.has("result") ? text(fields.get("result")) : "";
        return switch (result) {
            case "allow" -> of(Outcome.ALLOW, "the service allowed");
            case "deny" -> of(Outcome.DENY, "the service denied");
            case "ignore" -> of(Outcome.IGNORE, "the service ignored");
            default -> of(Outcome.FAILURE, "no result");
        };
    }

    private static JsonObject parse(String contentType, byte[] body) {
        String ct = contentType.toLowerCase(Locale.ROOT);
        String text = new String(body, StandardCharsets.UTF_8);
        if (ct.startsWith("application/json")) {
            return JsonParser.parseString(text).getAsJsonObject();
        }
        if (ct.startsWith("application/x-www-form-urlencoded")) {
            JsonObject o = new JsonObject();
            for (String pair : text.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    o.addProperty(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return o;
        }
        throw new IllegalArgumentException("unsupported content-type " + contentType);
    }

    private static String text(JsonElement e) {
        return e.isJsonPrimitive() ? e.getAsString() : "";
    }

    /** EMQX's to_bool: true, "true", a number >= 1 or its text. */
    static boolean toBool(JsonElement e) {
        if (!e.isJsonPrimitive()) {
            return false;
        }
        var p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            return p.getAsDouble() >= 1;
        }
        String s = p.getAsString();
        if (s.equals("true")) {
            return true;
        }
        try {
            return Long.parseLong(s) >= 1;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    private static Map<String, String> attrs(JsonElement e) {
        if (e == null || !e.isJsonObject()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> a : e.getAsJsonObject().entrySet()) {
            JsonElement v = a.getValue();
            if (out.size() < MAX_ATTRS && ATTR_NAME.matcher(a.getKey()).matches() && v.isJsonPrimitive()
                    && v.getAsString().length() <= MAX_ATTR_VALUE) {
                out.put(a.getKey(), v.getAsString());
            }
        }
        return Map.copyOf(out);
    }
}
