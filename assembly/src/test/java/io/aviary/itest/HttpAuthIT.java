package io.aviary.itest;

import static io.aviary.itest.BuiltinAuthIT.connect;
import static io.aviary.itest.BuiltinAuthIT.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.aviary.broker.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * auth-http and authz-http end to end: a real HTTP service in this JVM (the JDK's
 * com.sun.net.httpserver, plain and TLS) answers as EMQX documents, the distribution asks it,
 * real MQTT 5 clients connect, publish and subscribe. The chains are made with EMQX's endpoints
 * and a tenant API key.
 */
public class HttpAuthIT {
    private static final String HTTP = "password_based:http";

    // one distribution and one service for the class (each test uses its own tenants): starting
    // the distribution is most of an IT's time
    private static Distribution dist;
    private static HttpServer service;
    private static ExecutorService handlers;
    private static final CountDownLatch releaseSlow = new CountDownLatch(1);
    /** Every authentication request the service saw: its JSON body. */
    private static final List<JsonObject> authnSeen = new CopyOnWriteArrayList<>();
    /** Every authorization request the service saw: its query parameters. */
    private static final List<Map<String, String>> authzSeen = new CopyOnWriteArrayList<>();

    @BeforeClass
    public static void start() throws IOException {
        handlers = Executors.newCachedThreadPool();
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.setExecutor(handlers);
        service.createContext("/mqtt/auth", HttpAuthIT::authenticate);
        service.createContext("/mqtt/acl", HttpAuthIT::authorize);
        service.start();
        dist = new Distribution().start().awaitApi();
    }

    @AfterClass
    public static void stop() throws Exception {
        releaseSlow.countDown();
        if (dist != null) {
            dist.close();
        }
        service.stop(0);
        handlers.shutdownNow();
    }

    /**
     * The tenant's user service: alice (s3cret), bob (b0b, superuser), carol (c4rol, with acl rules:
     * only her own subtree), dave (d4ve, with acl rules that do not parse); "slow" never answers in time.
     */
    private static void authenticate(HttpExchange x) throws IOException {
        JsonObject req = JsonParser.parseString(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                .getAsJsonObject();
        authnSeen.add(req);
        String user = req.get("username").getAsString();
        String password = req.get("password").getAsString();
        if (user.equals("slow")) {
            hold(releaseSlow);
        }
        Map<String, String> passwords = Map.of("alice", "s3cret", "bob", "b0b", "carol", "c4rol", "dave", "d4ve");
        if (!passwords.containsKey(user)) {
            reply(x, 200, "{\"result\":\"ignore\"}");
        } else if (!passwords.get(user).equals(password)) {
            reply(x, 200, "{\"result\":\"deny\"}");
        } else if (user.equals("carol")) {
            reply(x, 200, "{\"result\":\"allow\",\"acl\":[{\"permission\":\"allow\",\"action\":\"all\","
                    + "\"topic\":\"users/${username}/#\"},{\"permission\":\"deny\",\"action\":\"all\",\"topic\":\"#\"}]}");
        } else if (user.equals("dave")) {
            reply(x, 200, "{\"result\":\"allow\",\"acl\":\"everything\"}");
        } else {
            reply(x, 200, "{\"result\":\"allow\",\"is_superuser\":" + user.equals("bob")
                    + ",\"client_attrs\":{\"site\":\"plant-7\"}}");
        }
    }

    /** The tenant's ACL service: secret/# denied, open/# allowed, status/# answers 403, anything else ignore. */
    private static void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : x.getRequestURI().getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        authzSeen.add(q);
        String topic = q.get("topic");
        if (topic.startsWith("secret/")) {
            reply(x, 200, "{\"result\":\"deny\"}");
        } else if (topic.startsWith("open/")) {
            reply(x, 204, "");
        } else if (topic.startsWith("status/")) {
            reply(x, 403, "{\"result\":\"allow\"}");
        } else {
            reply(x, 200, "{\"result\":\"ignore\"}");
        }
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            x.getResponseBody().write(b);
        }
        x.close();
    }

    private String url(HttpServer server, String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://" + (server instanceof HttpsServer ? "localhost" : "127.0.0.1") + ":"
                + server.getAddress().getPort() + path;
    }

    private AdminHttp tenant(String id) throws Exception {
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        ok(admin.post("/tenants", "{\"id\":\"" + id + "\"}"));
        return admin.as(BuiltinAuthIT.tenantKey(admin, id));
    }

    private String authenticator(String url, String extra) {
        return "{\"mechanism\":\"password_based\",\"backend\":\"http\",\"method\":\"post\",\"url\":\"" + url + "\","
                + "\"body\":{\"username\":\"${username}\",\"password\":\"${password}\",\"clientid\":\"${clientid}\","
                + "\"peerhost\":\"${peerhost}\"},\"request_timeout\":\"1s\"" + extra + "}";
    }

    private Mqtt5ConnAck refusal(String user, String password) {
        return assertThrows(Mqtt5ConnAckException.class, () -> connect(dist, "refused", user, password)).getMqttMessage();
    }

    private static String reason(Mqtt5ConnAck connack) {
        return connack.getReasonString().map(Object::toString).orElse("");
    }

    private Mqtt5BlockingClient awaitConnect(String id, String user, String password) {
        return await(id + " admitted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> connect(dist, id, user, password), c -> c.getState().isConnected());
    }

    @Test
    public void theTenantsHttpServiceDecidesWhoConnects() throws Exception {
        AdminHttp acme = tenant("acme");

        // bad configs are 400s naming the field, before anything starts
        AdminHttp.Reply method = acme.post("/authentication", authenticator(url(service, "/mqtt/auth"), "")
                .replace("\"method\":\"post\"", "\"method\":\"put\""));
        assertEquals(method.body(), 400, method.status());
        assertTrue(method.body(), method.message().contains("'method'"));
        AdminHttp.Reply scheme = acme.post("/authentication", authenticator("ftp://127.0.0.1/auth", ""));
        assertEquals(scheme.body(), 400, scheme.status());
        assertTrue(scheme.body(), scheme.message().contains("'url'"));
        AdminHttp.Reply noTls = acme.post("/authentication", authenticator("https://localhost/auth", ""));
        assertEquals(noTls.body(), 400, noTls.status());
        assertTrue(noTls.body(), noTls.message().contains("ssl"));

        AdminHttp.Reply created = acme.post("/authentication", authenticator(url(service, "/mqtt/auth"), ""));
        assertEquals(created.body(), 200, created.status());
        assertEquals(HTTP, created.json().getAsJsonObject().get("id").getAsString());
        assertEquals("the authenticator is not an authorization source", 0,
                acme.get("/authorization/sources").json().getAsJsonObject().getAsJsonArray("sources").size());

        // success: the service saw what the client presented
        awaitConnect("alice-1", "alice@acme", "s3cret").disconnect();
        JsonObject seen = authnSeen.get(authnSeen.size() - 1);
        assertEquals("alice", seen.get("username").getAsString());
        assertEquals("s3cret", seen.get("password").getAsString());
        assertEquals("alice-1", seen.get("clientid").getAsString());
        assertEquals("127.0.0.1", seen.get("peerhost").getAsString());

        // deny: refused with EMQX's not_authorized, saying the service denied
        Mqtt5ConnAck wrong = refusal("alice@acme", "guess");
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, wrong.getReasonCode());
        assertEquals("auth-http: the service denied", reason(wrong));
        // ignore: nobody else accepts the client, and acme has a chain
        Mqtt5ConnAck unknown = refusal("mallory@acme", "s3cret");
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, unknown.getReasonCode());
        assertEquals("no authenticator accepted the client", reason(unknown));

        // acl rules in the answer authorize the client; rules that do not parse refuse it (as EMQX)
        Mqtt5BlockingClient carol = awaitConnect("carol-1", "carol@acme", "c4rol");
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(carol, "users/carol/#"));
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribe(carol, "users/alice/#"));
        carol.disconnect();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal("dave@acme", "d4ve").getReasonCode());

        // hostile user names reach the service verbatim, as one JSON string, and change nothing
        for (String hostile : List.of("' OR '1'='1", "{\"$where\":\"1\"}", "alice\",\"password\":\"s3cret",
                "a&b=c#d")) {
            int before = authnSeen.size();
            assertEquals(hostile, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal(hostile + "@acme", "guess").getReasonCode());
            assertEquals(before + 1, authnSeen.size());
            JsonObject got = authnSeen.get(before);
            assertEquals(hostile, got.get("username").getAsString());
            assertEquals("guess", got.get("password").getAsString());
            assertEquals(4, got.size());
        }

        // slow: cut off at request_timeout (1s), then ignore, so refused well before the platform's auth_timeout
        long begin = System.nanoTime();
        Mqtt5ConnAck slow = refusal("slow@acme", "x");
        long slowMs = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, slow.getReasonCode());
        assertTrue("answered in " + slowMs + " ms", slowMs >= 900 && slowMs < 4500);

        // a failing service denies instead when ignore_backend_failures is false
        AdminHttp.Reply strict = acme.put("/authentication/" + HTTP, authenticator(url(service, "/mqtt/auth"),
                ",\"ignore_backend_failures\":false").replace("\"mechanism\":\"password_based\",\"backend\":\"http\",", ""));
        assertEquals(strict.body(), 200, strict.status());
        await("the failure policy applies").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> reason(refusal("slow@acme", "x")).startsWith("auth-http: the service failed"));
        awaitConnect("alice-2", "alice@acme", "s3cret").disconnect();
    }

    @Test
    public void aServiceThatIsDownIsIgnoredWithinTheTimeout() throws Exception {
        AdminHttp acme = tenant("down");
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/mqtt/auth", HttpAuthIT::authenticate);
        other.start();
        ok(acme.post("/authentication", authenticator(url(other, "/mqtt/auth"), "")));
        awaitConnect("alice-1", "alice@down", "s3cret").disconnect();

        other.stop(0);
        long begin = System.nanoTime();
        Mqtt5ConnAck down = refusal("alice@down", "s3cret");
        long ms = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, down.getReasonCode());
        assertEquals("ignored: no authenticator accepted the client", "no authenticator accepted the client", reason(down));
        assertTrue("answered in " + ms + " ms", ms < 4500);
    }

    @Test
    public void theServiceIsReachedOverTlsWithTheConfiguredCa() throws Exception {
        TestPki pki = new TestPki(Files.createTempDirectory("http-auth-pki"), "auth-ca");
        TestPki.Issued cert = pki.server("auth-service");
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(cert.keyManagerFactory().getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/mqtt/auth", HttpAuthIT::authenticate);
        https.setExecutor(handlers);
        https.start();
        try {
                AdminHttp trusting = tenant("tls");
            ok(trusting.post("/authentication", authenticator(url(https, "/mqtt/auth"),
                    ",\"ssl\":{\"enable\":true,\"cacertfile\":\"" + pki.caFile() + "\"}")));
            awaitConnect("alice-1", "alice@tls", "s3cret").disconnect();

            // the JVM's own CAs do not know the test CA: the handshake fails, so the service is never asked
            AdminHttp untrusting = tenant("zeta");
            ok(untrusting.post("/authentication", authenticator(url(https, "/mqtt/auth"), ",\"ssl\":{\"enable\":true}")));
            await("zeta's authenticator runs").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> dist.console().contains("auth-http: tenant=zeta enabled"));
            int before = authnSeen.size();
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal("alice@zeta", "s3cret").getReasonCode());
            assertEquals(before, authnSeen.size());
        } finally {
            https.stop(0);
        }
    }

    @Test
    public void theTenantsHttpServiceDecidesPublishAndSubscribe() throws Exception {
        AdminHttp plant = tenant("plant");
        ok(plant.post("/authentication", authenticator(url(service, "/mqtt/auth"), "")));
        AdminHttp.Reply badUrl = plant.post("/authorization/sources",
                "{\"type\":\"http\",\"method\":\"get\",\"url\":\"file:///etc/passwd\"}");
        assertEquals(badUrl.body(), 400, badUrl.status());
        assertTrue(badUrl.body(), badUrl.message().contains("'url'"));
        AdminHttp.Reply getWithType = plant.post("/authorization/sources", "{\"type\":\"http\",\"method\":\"get\","
                + "\"url\":\"http://127.0.0.1/acl\",\"headers\":{\"content-type\":\"application/json\"}}");
        assertEquals(getWithType.body(), 400, getWithType.status());
        assertTrue(getWithType.body(), getWithType.message().contains("'headers'"));
        assertEquals(204, plant.post("/authorization/sources", "{\"type\":\"http\",\"method\":\"get\",\"url\":\""
                + url(service, "/mqtt/acl") + "?topic=${topic}&action=${action}\",\"body\":{\"username\":\"${username}\","
                + "\"clientid\":\"${clientid}\",\"qos\":\"${qos}\",\"retain\":\"${retain}\",\"site\":\"${client_attrs.site}\"}}")
                .status());
        assertEquals("the source is not an authenticator", 1, plant.get("/authentication").json().getAsJsonArray().size());

        Mqtt5BlockingClient alice = awaitConnect("alice-1", "alice@plant", "s3cret");
        await("the http source decides").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> subscribe(alice, "secret/plans") == Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        Mqtt5PubAckException denied = assertThrows(Mqtt5PubAckException.class, () -> alice.publishWith()
                .topic("secret/x").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[] {1}).send());
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, denied.getMqttMessage().getReasonCode());
        Map<String, String> asked = authzSeen.stream().filter(q -> q.get("topic").equals("secret/x")).findFirst().orElseThrow();
        assertEquals(Map.of("topic", "secret/x", "action", "publish", "username", "alice", "clientid", "alice-1",
                "qos", "1", "retain", "true", "site", "plant-7"), asked);

        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(alice, "open/#"));
        alice.publishWith().topic("open/x").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        assertEquals("ignore: no_match allows", Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(alice, "other/x"));
        assertEquals("403: no match", Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(alice, "status/x"));

        // a topic holding '&' and '=' is one query value at the service
        alice.publishWith().topic("open/a&action=subscribe&topic=secret").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        assertTrue(authzSeen.stream().anyMatch(q -> q.get("topic").equals("open/a&action=subscribe&topic=secret")
                && q.get("action").equals("publish")));

        // a superuser skips authorization
        Mqtt5BlockingClient bob = awaitConnect("bob-1", "bob@plant", "b0b");
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(bob, "secret/#"));
        bob.disconnect();
        alice.disconnect();
    }

    private static Mqtt5SubAckReasonCode subscribe(Mqtt5BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0);
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0);
        }
    }
}
