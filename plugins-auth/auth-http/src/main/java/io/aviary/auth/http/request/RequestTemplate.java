package io.aviary.auth.http.request;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request an instance sends, as EMQX builds it (emqx_auth_http_utils:generate_request): the
 * URL's path and query with URL-encoded placeholder values; for GET the body's fields appended as
 * query parameters; for POST the body as a JSON object (application/json, the default) or a
 * form (application/x-www-form-urlencoded); headers rendered verbatim, refused if a value would
 * hold CR, LF or NUL. Every value goes through the encoding of where it lands, so a user name such
 * as {@code a&b=c}, {@code "}, or {@code {"$where": "1"}} arrives as that value and nothing more.
 */
public final class RequestTemplate {
    private static final Pattern URL = Pattern.compile("(https?)://([^/?#]+)([^?#]*)(\\?[^#]*)?");
    /** Headers the JDK client manages itself (and refuses to be given). */
    private static final Set<String> CLIENT_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "keep-alive");

    /** A request as it would go out; {@code body} is null for GET. */
    public record Rendered(String method, URI uri, Map<String, String> headers, String body) {
    }

    private final boolean post;
    private final boolean json;
    private final String origin;
    private final Template pathAndQuery;
    private final Map<String, Template> headers = new LinkedHashMap<>();
    private final Map<String, Template> body = new LinkedHashMap<>();

    /** @throws IllegalArgumentException naming the field when the settings cannot make a request */
    public RequestTemplate(HttpSettings settings, Set<String> placeholders) {
        Matcher m = URL.matcher(settings.url());
        if (!m.matches()) {
            throw new IllegalArgumentException("field 'url': not an http:// or https:// URL without a fragment: "
                    + settings.url());
        }
        if (m.group(2).contains("${")) {
            throw new IllegalArgumentException("field 'url': the host cannot hold placeholders");
        }
        this.post = settings.post();
        this.origin = m.group(1) + "://" + m.group(2);
        String path = m.group(3).isEmpty() ? "/" : m.group(3);
        this.pathAndQuery = Template.parse(path + (m.group(4) == null ? "" : m.group(4)), placeholders);
        settings.headers().forEach((name, value) -> {
            if (!CLIENT_HEADERS.contains(name)) {
                headers.put(name, Template.parse(value, placeholders));
            }
        });
        settings.body().forEach((name, value) -> body.put(name, Template.parse(value, placeholders)));
        String contentType = settings.contentType();
        this.json = contentType.equals("application/json");
        if (post && !json && !contentType.equals("application/x-www-form-urlencoded")) {
            throw new IllegalArgumentException("field 'headers': content-type must be application/json or "
                    + "application/x-www-form-urlencoded for POST, was " + contentType);
        }
        try {
            render(Map.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'url': " + e.getMessage());
        }
    }

    /** @throws IllegalArgumentException when a header value would hold CR, LF or NUL */
    public Rendered render(Map<String, String> values) {
        StringBuilder uri = new StringBuilder(origin).append(pathAndQuery.render(values, RequestTemplate::urlEncode));
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((name, t) -> {
            String v = t.render(values);
            if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("header " + name + " would hold a control character");
            }
            h.put(name, v);
        });
        if (!post) {
            if (!body.isEmpty()) {
                uri.append(uri.indexOf("?") < 0 ? '?' : '&').append(form(values));
            }
            return new Rendered("GET", URI.create(uri.toString()), h, null);
        }
        String payload;
        if (json) {
            JsonObject o = new JsonObject();
            body.forEach((name, t) -> o.addProperty(name, t.render(values)));
            payload = o.toString();
        } else {
            payload = form(values);
        }
        return new Rendered("POST", URI.create(uri.toString()), h, payload);
    }

    private String form(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        body.forEach((name, t) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(urlEncode(name)).append('=').append(urlEncode(t.render(values)));
        });
        return out.toString();
    }

    /** Percent-encoding that is right in a path segment, a query and a form alike (space as %20). */
    static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public HttpRequest request(Map<String, String> values, long timeoutMs) {
        Rendered r = render(values);
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(Duration.ofMillis(timeoutMs));
        r.headers().forEach(b::header);
        if (r.body() == null) {
            b.GET();
        } else {
            b.POST(HttpRequest.BodyPublishers.ofString(r.body(), StandardCharsets.UTF_8));
        }
        return b.build();
    }
}
