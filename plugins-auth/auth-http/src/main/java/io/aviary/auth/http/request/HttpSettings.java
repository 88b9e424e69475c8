package io.aviary.auth.http.request;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One instance's request settings in EMQX's shape (method, url, headers, body, request_timeout,
 * connect_timeout, pool_size, ssl), read from its Config Admin properties: nested objects arrive as
 * JSON text, and the plugin manager has checked schema.json already, so what is left to refuse here
 * is what a schema cannot say (an unsupported content type, an unreadable CA file).
 *
 * @param ignoreBackendFailures what a failing service means: true (default) IGNORE, false DENY
 */
public record HttpSettings(boolean post, String url, Map<String, String> headers, Map<String, String> body,
                           long requestTimeoutMs, long connectTimeoutMs, int poolSize, Tls tls,
                           boolean ignoreBackendFailures) {

    /** The ssl object: {@code verify} is verify_peer unless set to verify_none; the CA a path or PEM text. */
    public record Tls(boolean enable, boolean verifyPeer, String cacertfile) {
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    /** @param defaultRequestTimeoutMs EMQX's default: 5s for authentication, 30s for authorization */
    public static HttpSettings from(Map<String, Object> props, long defaultRequestTimeoutMs) {
        boolean post = "post".equals(String.valueOf(props.get("method")).toLowerCase(Locale.ROOT));
        Map<String, String> headers = new LinkedHashMap<>();
        Object h = props.get("headers");
        if (h == null) {
            headers.put("accept", "application/json");
            headers.put("cache-control", "no-cache");
        } else {
            strings(h).forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        if (post) {
            headers.putIfAbsent("content-type", "application/json");
        }
        JsonObject ssl = props.get("ssl") == null ? new JsonObject() : JsonParser.parseString(props.get("ssl").toString()).getAsJsonObject();
        Tls tls = new Tls(ssl.has("enable") && ssl.get("enable").getAsBoolean(),
                !ssl.has("verify") || !"verify_none".equals(ssl.get("verify").getAsString()),
                ssl.has("cacertfile") ? ssl.get("cacertfile").getAsString() : null);
        return new HttpSettings(post, String.valueOf(props.get("url")), Map.copyOf(headers),
                props.get("body") == null ? Map.of() : strings(props.get("body")),
                duration(props.get("request_timeout"), defaultRequestTimeoutMs),
                duration(props.get("connect_timeout"), 15_000),
                props.get("pool_size") == null ? 8 : ((Number) props.get("pool_size")).intValue(), tls,
                !Boolean.FALSE.equals(props.get("ignore_backend_failures")));
    }

    /** A JSON object of scalars, as text: numbers and booleans become their JSON text. */
    private static Map<String, String> strings(Object json) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : JsonParser.parseString(json.toString()).getAsJsonObject().entrySet()) {
            out.put(e.getKey(), e.getValue().getAsString());
        }
        return out;
    }

    /** EMQX's durations: a number of milliseconds, or text like "5s", "500ms", "1m". */
    static long duration(Object value, long otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        Matcher m = DURATION.matcher(value.toString().trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + value);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "h" -> n * 3_600_000;
            case "m" -> n * 60_000;
            case "s" -> n * 1000;
            default -> n;
        };
    }

    public String contentType() {
        String ct = headers.getOrDefault("content-type", "application/json");
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
