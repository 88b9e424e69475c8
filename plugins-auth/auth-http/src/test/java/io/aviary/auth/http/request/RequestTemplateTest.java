package io.aviary.auth.http.request;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

public class RequestTemplateTest {
    private static final String[] HOSTILE = {"' OR '1'='1", "{\"$where\": \"1\"}", "a&b=c#d", "x\"}, \"is_superuser\": true, {\"",
        "../../admin?x=1", "100% + ü"};

    private static RequestTemplate template(String method, String url, String headersJson, String bodyJson) {
        Map<String, Object> props = new HashMap<>();
        props.put("method", method);
        props.put("url", url);
        if (headersJson != null) {
            props.put("headers", headersJson);
        }
        if (bodyJson != null) {
            props.put("body", bodyJson);
        }
        return new RequestTemplate(HttpSettings.from(props, 5000), ClientValues.AUTHN);
    }

    private static Map<String, String> user(String name) {
        Map<String, String> v = new HashMap<>();
        v.put("username", name);
        v.put("password", "p&w=d");
        v.put("clientid", "c1");
        return v;
    }

    /** Query parameters of a rendered URI, decoded, in order. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    public void getPutsTheBodyInTheQueryAfterTheUrlsOwnParameters() {
        RequestTemplate t = template("get", "http://auth.local:8080/mqtt/auth?source=emqx&c=${clientid}", null,
                "{\"username\":\"${username}\",\"password\":\"${password}\"}");
        RequestTemplate.Rendered r = t.render(user("alice"));
        assertEquals("GET", r.method());
        assertNull(r.body());
        assertEquals("/mqtt/auth", r.uri().getRawPath());
        assertEquals(Map.of("source", "emqx", "c", "c1", "username", "alice", "password", "p&w=d"), query(r.uri().getRawQuery()));
        assertEquals(Map.of("accept", "application/json", "cache-control", "no-cache"), r.headers());
    }

    @Test
    public void postSendsTheBodyAsJsonByDefault() {
        RequestTemplate t = template("post", "http://auth.local/auth", null,
                "{\"username\":\"${username}\",\"clientid\":\"${clientid}\",\"peer\":\"${peerhost}\",\"x\":\"${nosuch}\"}");
        RequestTemplate.Rendered r = t.render(user("alice"));
        assertEquals("POST", r.method());
        assertEquals("application/json", r.headers().get("content-type"));
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("alice", body.get("username").getAsString());
        assertEquals("c1", body.get("clientid").getAsString());
        assertEquals("a missing value renders empty", "", body.get("peer").getAsString());
        assertEquals("an unknown placeholder stays text", "${nosuch}", body.get("x").getAsString());
    }

    @Test
    public void postSendsAFormWhenTheContentTypeSaysSo() {
        RequestTemplate t = template("post", "http://auth.local/auth",
                "{\"Content-Type\":\"application/x-www-form-urlencoded\",\"X-Tenant\":\"t-${clientid}\"}",
                "{\"username\":\"${username}\",\"password\":\"${password}\"}");
        RequestTemplate.Rendered r = t.render(user("a b"));
        assertEquals(Map.of("username", "a b", "password", "p&w=d"), query(r.body()));
        assertEquals("t-c1", r.headers().get("x-tenant"));
    }

    @Test
    public void hostileUserNamesStayOneValueInJsonFormQueryAndPath() {
        RequestTemplate json = template("post", "http://auth.local/users/${username}/check", null, "{\"u\":\"${username}\"}");
        RequestTemplate form = template("post", "http://auth.local/auth",
                "{\"content-type\":\"application/x-www-form-urlencoded\"}", "{\"u\":\"${username}\",\"k\":\"fixed\"}");
        RequestTemplate get = template("get", "http://auth.local/auth?u=${username}", null, "{\"k\":\"fixed\"}");
        for (String name : HOSTILE) {
            RequestTemplate.Rendered j = json.render(user(name));
            JsonObject body = JsonParser.parseString(j.body()).getAsJsonObject();
            assertEquals(1, body.size());
            assertEquals(name, body.get("u").getAsString());
            assertEquals("/users/" + name + "/check", j.uri().getPath());
            assertEquals("the value is one path segment", 4, j.uri().getRawPath().split("/").length);
            assertEquals(Map.of("u", name, "k", "fixed"), query(form.render(user(name)).body()));
            RequestTemplate.Rendered g = get.render(user(name));
            assertEquals(Map.of("u", name, "k", "fixed"), query(g.uri().getRawQuery()));
            assertNull("no fragment", g.uri().getRawFragment());
        }
    }

    @Test
    public void aHeaderValueThatWouldSplitTheRequestIsRefused() {
        RequestTemplate t = template("get", "http://auth.local/auth", "{\"x-user\":\"${username}\"}", null);
        assertEquals("alice", t.render(user("alice")).headers().get("x-user"));
        assertThrows(IllegalArgumentException.class, () -> t.render(user("alice\r\nX-Admin: 1")));
    }

    @Test
    public void headersTheClientManagesAreLeftToIt() {
        RequestTemplate t = template("post", "http://auth.local/auth",
                "{\"Connection\":\"keep-alive\",\"keep-alive\":\"timeout=30\",\"accept\":\"application/json\"}", null);
        assertEquals(Map.of("accept", "application/json", "content-type", "application/json"), t.render(user("a")).headers());
    }

    @Test
    public void settingsThatCannotMakeARequestNameTheirField() {
        IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
                () -> template("get", "http://${username}.local/auth", null, null));
        assertTrue(host.getMessage(), host.getMessage().startsWith("field 'url'"));
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> template("get", "ftp://auth.local/auth", null, null));
        assertTrue(scheme.getMessage(), scheme.getMessage().startsWith("field 'url'"));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> template("post", "http://auth.local/auth", "{\"content-type\":\"text/plain\"}", null));
        assertTrue(type.getMessage(), type.getMessage().startsWith("field 'headers'"));
    }

    @Test
    public void durationsAreMillisecondsOrEmqxText() {
        assertEquals(5000, HttpSettings.duration("5s", 1));
        assertEquals(250, HttpSettings.duration("250ms", 1));
        assertEquals(120_000, HttpSettings.duration("2m", 1));
        assertEquals(750, HttpSettings.duration(750L, 1));
        assertEquals(1, HttpSettings.duration(null, 1));
    }
}
