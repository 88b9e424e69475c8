package io.aviary.authz.http;

import static org.junit.Assert.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.http.request.HttpSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** HttpAuthorizer against a real HTTP server in this JVM: what the service is sent, and how its answers decide. */
public class HttpAuthorizerTest {
    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final ClientInfo alice = new ClientInfo("acme", "c-1", "alice", new InetSocketAddress("10.0.0.7", 40000),
            "mqtt", 5, "tcp:default", null, null, Map.of("site", "plant-7"));

    @Before
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/acl", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            String topic = com.google.gson.JsonParser.parseString(body).getAsJsonObject().get("topic").getAsString();
            int status = topic.startsWith("broken/") ? 200 : topic.startsWith("gone/") ? 404 : 200;
            String answer = topic.startsWith("up/") ? "{\"result\":\"allow\"}" : topic.startsWith("broken/") ? "{\"nope\":1}"
                    : "{\"result\":\"deny\"}";
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(status, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
    }

    @After
    public void stop() {
        server.stop(0);
    }

    private HttpAuthorizer authorizer(boolean ignoreFailures) {
        Map<String, Object> props = new HashMap<>();
        props.put("method", "post");
        props.put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/acl");
        props.put("body", "{\"topic\":\"${topic}\",\"action\":\"${action}\",\"qos\":\"${qos}\",\"retain\":\"${retain}\","
                + "\"username\":\"${username}\",\"peer\":\"${peerhost}:${peerport}\",\"site\":\"${client_attrs.site}\","
                + "\"proto\":\"${proto_name}\",\"access\":\"${access}\"}");
        props.put("ignore_backend_failures", ignoreFailures);
        return new HttpAuthorizer("acme", HttpSettings.from(props, 30_000), null);
    }

    private static Decision get(java.util.concurrent.CompletionStage<Decision> d) throws Exception {
        return d.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    public void theServiceIsToldWhoWantsWhatAndDecides() throws Exception {
        HttpAuthorizer a = authorizer(true);
        assertEquals(Decision.ALLOW, get(a.authorize(alice, Action.PUBLISH, "up/1", 1, true)));
        assertEquals("{\"topic\":\"up/1\",\"action\":\"publish\",\"qos\":\"1\",\"retain\":\"true\",\"username\":\"alice\","
                + "\"peer\":\"10.0.0.7:40000\",\"site\":\"plant-7\",\"proto\":\"MQTT\",\"access\":\"2\"}", bodies.get(0));
        assertEquals(Decision.DENY, get(a.authorize(alice, Action.SUBSCRIBE, "down/#", 0, false)));
        assertEquals("{\"topic\":\"down/#\",\"action\":\"subscribe\",\"qos\":\"0\",\"retain\":\"false\",\"username\":\"alice\","
                + "\"peer\":\"10.0.0.7:40000\",\"site\":\"plant-7\",\"proto\":\"MQTT\",\"access\":\"1\"}", bodies.get(1));
        assertEquals("another status is no match", Decision.IGNORE, get(a.authorize(alice, Action.PUBLISH, "gone/1", 0, false)));
    }

    @Test
    public void aFailingServiceIsIgnoredOrDeniedAsConfigured() throws Exception {
        assertEquals(Decision.IGNORE, get(authorizer(true).authorize(alice, Action.PUBLISH, "broken/1", 0, false)));
        assertEquals(Decision.DENY, get(authorizer(false).authorize(alice, Action.PUBLISH, "broken/1", 0, false)));
        server.stop(0);
        assertEquals(Decision.DENY, get(authorizer(false).authorize(alice, Action.PUBLISH, "up/1", 0, false)));
        assertEquals(Decision.IGNORE, get(authorizer(true).authorize(alice, Action.PUBLISH, "up/1", 0, false)));
    }
}
