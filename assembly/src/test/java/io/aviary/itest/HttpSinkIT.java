package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The data integration end to end with the http sink: a real MQTT client publishes, a rule
 * selects the message, its action ("http:a1") renders and sends it, and a real HTTP server in
 * this JVM receives it. Connectors, actions and rules are created through the admin API, in
 * EMQX 5's shapes.
 */
public class HttpSinkIT {

    private static Distribution dist;
    private static AdminHttp api;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start().awaitApi();
        api = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @After
    public void closeAll() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    static JsonObject created(AdminHttp http, String path, String json) throws Exception {
        AdminHttp.Reply r = http.post(path, json);
        assertEquals(r.body(), 201, r.status());
        return r.json().getAsJsonObject();
    }

    static JsonObject metrics(AdminHttp http, String actionId) throws Exception {
        AdminHttp.Reply r = http.get("/actions/" + actionId + "/metrics");
        assertEquals(r.body(), 200, r.status());
        return r.json().getAsJsonObject().getAsJsonObject("metrics");
    }

    static void awaitMetric(AdminHttp http, String actionId, String name, long value) {
        await(actionId + " " + name + " = " + value).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> metrics(http, actionId).get(name).getAsLong() == value);
    }

    private Mqtt5BlockingClient connect(Distribution d, String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(d.mqttPort).buildBlocking();
        c.connect();
        closing.add(() -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        return c;
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String payload) {
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private WebhookServer webhook() throws Exception {
        WebhookServer w = new WebhookServer(null).start();
        closing.add(w);
        return w;
    }

    @Test
    public void aPublishedMessageReachesTheWebhookWithItsPathHeadersAndBodyRendered() throws Exception {
        WebhookServer hook = webhook();
        JsonObject connector = created(api, "/connectors", """
                {"type": "http", "name": "c1", "url": "%s/api", "headers": {"x-source": "aviary"},
                 "resource_opts": {"health_check_interval": "1s"}}""".formatted(hook.url()));
        assertEquals("http", connector.get("type").getAsString());
        assertTrue(connector.toString(), connector.has("status"));
        created(api, "/actions", """
                {"type": "http", "name": "a1", "connector": "c1",
                 "parameters": {"path": "hook/${clientid}", "method": "post", "headers": {"x-device": "${clientid}"},
                                "body": "{\\"t\\": ${payload.temp}, \\"topic\\": \\"${topic}\\"}"}}""");
        JsonObject rule = created(api, "/rules", """
                {"id": "to-http", "sql": "SELECT * FROM \\"sensors/#\\"", "actions": ["http:a1"]}""");
        assertEquals("http:a1", rule.getAsJsonArray("actions").get(0).getAsString());

        publish(connect(dist, "dev1"), "sensors/1", "{\"temp\": 21}");

        WebhookServer.Request r = hook.next();
        assertEquals("POST", r.method());
        assertEquals("/api/hook/dev1", r.path());
        assertEquals("dev1", r.headers().get("x-device"));
        assertEquals("aviary", r.headers().get("x-source"));
        assertEquals("{\"t\": 21, \"topic\": \"sensors/1\"}", r.body());
        awaitMetric(api, "http:a1", "success", 1);
        JsonObject m = metrics(api, "http:a1");
        assertEquals(1, m.get("matched").getAsLong());
        assertEquals(0, m.get("failed").getAsLong());
        await("connector connected").atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/connectors/http:c1").json().getAsJsonObject().get("status").getAsString().equals("connected"));
        java.util.Map<String, Double> prom = PrometheusIT.parse(api.get("/prometheus/stats").body());
        assertEquals(prom.toString(), 1.0,
                prom.get("aviary_integration_action_success_total{action=\"http:a1\",tenant=\"default\"}"), 0);
        assertEquals(0.0, prom.get("aviary_integration_action_dropped_total{action=\"http:a1\",reason=\"queue_full\","
                + "tenant=\"default\"}"), 0);
        assertEquals(204, api.post("/actions_probe", """
                {"type": "http", "name": "a9", "connector": "c1", "parameters": {"path": "x"}}""").status());
        assertEquals(204, api.post("/connectors/http:c1/stop", "{}").status());
        assertEquals("stopped", api.get("/connectors/http:c1").json().getAsJsonObject().get("status").getAsString());
        assertEquals(204, api.post("/connectors/http:c1/start", "{}").status());
        await("connected after start").atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/connectors/http:c1").json().getAsJsonObject().get("status").getAsString().equals("connected"));
        assertEquals(400, api.post("/connectors/http:c1/explode", "{}").status());
        assertEquals(204, api.put("/actions/http:a1/enable/false", null).status());
        assertEquals("stopped", api.get("/actions/http:a1").json().getAsJsonObject().get("status").getAsString());
        assertEquals(204, api.put("/actions/http:a1/metrics/reset", null).status());
        assertEquals(0, metrics(api, "http:a1").get("success").getAsLong());
        assertEquals(204, api.delete("/rules/to-http").status());
        assertEquals(204, api.delete("/actions/http:a1").status());
        assertEquals(204, api.delete("/connectors/http:c1").status());
    }

    /** A connector, an action that posts the whole rule output as JSON, and a rule taking topic/#. */
    private static void pipeline(AdminHttp http, String name, String url, String topic, String opts) throws Exception {
        created(http, "/connectors", """
                {"type": "http", "name": "%s", "url": "%s", "resource_opts": {"health_check_interval": "1s"}}"""
                .formatted(name, url));
        created(http, "/actions", """
                {"type": "http", "name": "%s", "connector": "%s", "parameters": {"path": "/in", "max_retries": 0},
                 "resource_opts": %s}""".formatted(name, name, opts));
        created(http, "/rules", """
                {"id": "%s", "sql": "SELECT payload.n AS n FROM \\"%s/#\\"", "actions": ["http:%s"]}"""
                .formatted(name, topic, name));
    }

    private static Set<String> receive(WebhookServer hook, int n) throws InterruptedException {
        Set<String> got = new HashSet<>();
        while (got.size() < n) {
            got.add(hook.next().body());
        }
        return got;
    }

    private static Set<String> expected(int n) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"n\":" + i + "}");
        }
        return out;
    }

    @Test
    public void messagesPublishedWhileTheWebhookIsDownAllArriveOnceItIsBackAndTheRetriesAreCounted() throws Exception {
        WebhookServer hook = webhook();
        pipeline(api, "outage", hook.url(), "outage", "{\"request_ttl\": \"infinity\"}");
        hook.stop();
        Mqtt5BlockingClient dev = connect(dist, "outage-dev");
        int n = 20;
        for (int i = 0; i < n; i++) {
            publish(dev, "outage/x", "{\"n\": " + i + "}");
        }
        await("retries while down").atMost(Duration.ofSeconds(20)).until(() ->
                metrics(api, "http:outage").get("retried").getAsLong() > 0);
        await("connector disconnected").atMost(Duration.ofSeconds(10)).until(() -> api.get("/connectors/http:outage")
                .json().getAsJsonObject().get("status").getAsString().equals("disconnected"));
        JsonObject down = api.get("/connectors/http:outage").json().getAsJsonObject();
        assertTrue(down.toString(), down.get("status_reason").getAsString().contains("Connection refused"));
        JsonObject m = metrics(api, "http:outage");
        assertEquals(n, m.get("matched").getAsLong());
        assertEquals(0, m.get("success").getAsLong());
        assertEquals(n, m.get("queuing").getAsLong() + m.get("inflight").getAsLong());

        hook.start();
        assertEquals(expected(n), receive(hook, n));
        awaitMetric(api, "http:outage", "success", n);
        m = metrics(api, "http:outage");
        assertEquals(0, m.get("failed").getAsLong());
        assertEquals(0, m.get("dropped").getAsLong());
        assertTrue(m.toString(), m.get("retried").getAsLong() > 0);
        await("connector connected again").atMost(Duration.ofSeconds(10)).until(() -> api.get("/connectors/http:outage")
                .json().getAsJsonObject().get("status").getAsString().equals("connected"));
    }

    @Test
    public void messagesBufferedDuringAnOutageSurviveARestartOfAviaryAndArriveAfterIt() throws Exception {
        try (Distribution own = new Distribution().start().awaitApi(); WebhookServer hook = new WebhookServer(null)) {
            AdminHttp http = new AdminHttp(own.adminPort, AdminHttp.ADMIN);
            pipeline(http, "kept", hook.url(), "kept", "{\"request_ttl\": \"infinity\", \"batch_size\": 5}");
            Mqtt5BlockingClient dev = connect(own, "kept-dev");
            int n = 30;
            for (int i = 0; i < n; i++) {
                publish(dev, "kept/x", "{\"n\": " + i + "}");
            }
            await("all buffered").atMost(Duration.ofSeconds(10)).until(() ->
                    metrics(http, "http:kept").get("matched").getAsLong() == n);
            dev.disconnect();
            own.stop(Duration.ofSeconds(30));

            hook.start();
            own.start().awaitApi();
            assertEquals("every message buffered before the restart arrives", expected(n), receive(hook, n));
            await("the action's status is shown after the restart").atMost(Duration.ofSeconds(10)).until(() ->
                    http.get("/actions/http:kept").json().getAsJsonObject().get("status").getAsString()
                            .equals("connected"));
            await("nothing left in the buffer").atMost(Duration.ofSeconds(10)).until(() ->
                    metrics(http, "http:kept").get("queuing").getAsLong() == 0);
        }
    }

    @Test
    public void aWrongHostShowsTheRealErrorInStatusAndProbeCountsTheFailuresAndDisturbsNoOtherClient() throws Exception {
        String bad = "{\"type\": \"http\", \"name\": \"nohost\", \"url\": \"http://no-such-host.invalid:8080\","
                + " \"resource_opts\": {\"health_check_interval\": \"1s\"}}";
        AdminHttp.Reply probe = api.post("/connectors_probe", bad);
        assertEquals(probe.body(), 400, probe.status());
        assertEquals("TEST_FAILED", probe.code());
        assertTrue(probe.message(), probe.message().contains("no-such-host.invalid"));

        created(api, "/connectors", bad);
        created(api, "/actions", """
                {"type": "http", "name": "nohost", "connector": "nohost", "parameters": {"max_retries": 0},
                 "resource_opts": {"request_ttl": "2s"}}""");
        created(api, "/rules", """
                {"id": "nohost", "sql": "SELECT * FROM \\"nohost/#\\"", "actions": ["http:nohost"]}""");
        await("disconnected with the resolver's error").atMost(Duration.ofSeconds(15)).until(() -> {
            JsonObject c = api.get("/connectors/http:nohost").json().getAsJsonObject();
            return c.get("status").getAsString().equals("disconnected")
                    && c.get("status_reason").getAsString().contains("no-such-host.invalid");
        });

        Mqtt5BlockingClient watcher = connect(dist, "nohost-watcher");
        var inbox = watcher.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
        watcher.subscribeWith().topicFilter("nohost/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient dev = connect(dist, "nohost-dev");
        for (int i = 0; i < 3; i++) {
            publish(dev, "nohost/x", "{\"n\": " + i + "}");
        }
        for (int i = 0; i < 3; i++) {
            assertTrue("other clients still get their messages",
                    inbox.receive(10, java.util.concurrent.TimeUnit.SECONDS).isPresent());
        }
        await("failures counted, then expired").atMost(Duration.ofSeconds(30)).until(() ->
                metrics(api, "http:nohost").get("dropped.expired").getAsLong() == 3);
        JsonObject m = metrics(api, "http:nohost");
        assertTrue(m.toString(), m.get("retried").getAsLong() > 0);
        assertEquals(0, m.get("success").getAsLong());
        assertTrue(m.toString(), m.get("last_error").getAsString().contains("no-such-host.invalid"));
    }

    @Test
    public void aClientErrorAnswerCountsTheRecordFailedWithoutRetrying() throws Exception {
        WebhookServer hook = webhook();
        hook.status.set(422);
        pipeline(api, "refused", hook.url(), "refused", "{}");
        publish(connect(dist, "refused-dev"), "refused/x", "{\"n\": 1}");
        awaitMetric(api, "http:refused", "failed", 1);
        JsonObject m = metrics(api, "http:refused");
        assertEquals(0, m.get("retried").getAsLong());
        assertEquals(0, m.get("success").getAsLong());
        assertTrue(m.toString(), m.get("last_error").getAsString().contains("HTTP 422"));
        assertEquals("sent once, not retried", 1, hook.hits.get());
    }

    @Test
    public void anHttpsWebhookWithATestCertificateIsReachedWhenItsCaIsTrustedAndRefusedOtherwise() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("aviary-http-pki");
        io.aviary.broker.testing.TestPki pki = new io.aviary.broker.testing.TestPki(dir, "webhook-ca");
        io.aviary.broker.testing.TestPki.Issued cert = pki.server("webhook");
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(cert.keyManagerFactory().getKeyManagers(), null, null);
        WebhookServer hook = new WebhookServer(tls).start();
        closing.add(hook);

        AdminHttp.Reply untrusted = api.post("/connectors_probe", """
                {"type": "http", "name": "tls0", "url": "%s", "ssl": {"enable": true, "verify": "verify_peer"}}"""
                .formatted(hook.url()));
        assertEquals(untrusted.body(), 400, untrusted.status());
        assertTrue(untrusted.message(), untrusted.message().contains("PKIX"));

        String trusted = """
                {"type": "http", "name": "tls1", "url": "%s",
                 "ssl": {"enable": true, "verify": "verify_peer", "cacertfile": "%s"}}"""
                .formatted(hook.url(), pki.caFile().toString());
        assertEquals(204, api.post("/connectors_probe", trusted).status());
        created(api, "/connectors", trusted);
        created(api, "/actions", """
                {"type": "http", "name": "tls1", "connector": "tls1", "parameters": {"body": "${payload}"}}""");
        created(api, "/rules", """
                {"id": "tls1", "sql": "SELECT * FROM \\"secure/#\\"", "actions": ["http:tls1"]}""");
        publish(connect(dist, "tls-dev"), "secure/x", "over tls");
        assertEquals("over tls", hook.next().body());
        awaitMetric(api, "http:tls1", "success", 1);
    }

    @Test
    public void badRequestsAnswer400NamingTheFieldAnd404ForMissingOnes() throws Exception {
        AdminHttp.Reply r = api.post("/connectors", "{\"type\": \"nosuchtype\", \"name\": \"x\"}");
        assertEquals(r.body(), 400, r.status());
        assertTrue(r.message(), r.message().contains("'type'"));
        r = api.post("/connectors", "{\"type\": \"http\", \"name\": \"nourl\"}");
        assertEquals(r.body(), 400, r.status());
        assertTrue(r.message(), r.message().contains("url"));
        r = api.post("/connectors", "{\"type\": \"http\", \"name\": \"badopts\", \"url\": \"http://127.0.0.1:1\","
                + " \"resource_opts\": {\"batch_size\": 0}}");
        assertEquals(r.body(), 400, r.status());
        assertTrue(r.message(), r.message().contains("resource_opts.batch_size"));
        r = api.post("/actions", "{\"type\": \"http\", \"name\": \"orphan\", \"connector\": \"none\"}");
        assertEquals(r.body(), 400, r.status());
        assertTrue(r.message(), r.message().contains("'connector'"));
        r = api.get("/actions/http:none");
        assertEquals(404, r.status());
        assertEquals("NOT_FOUND", r.code());
        assertEquals(404, api.get("/actions/http:none/metrics").status());

        created(api, "/connectors", "{\"type\": \"http\", \"name\": \"used\", \"url\": \"http://127.0.0.1:1\"}");
        r = api.post("/connectors", "{\"type\": \"http\", \"name\": \"used\", \"url\": \"http://127.0.0.1:1\"}");
        assertEquals("ALREADY_EXISTS", r.code());
        r = api.post("/actions", "{\"type\": \"http\", \"name\": \"used\", \"connector\": \"used\","
                + " \"parameters\": {\"method\": \"patch\"}}");
        assertEquals(r.body(), 400, r.status());
        assertTrue(r.message(), r.message().contains("parameters.method"));
        created(api, "/actions", "{\"type\": \"http\", \"name\": \"used\", \"connector\": \"used\"}");
        r = api.delete("/connectors/http:used");
        assertEquals(r.body(), 400, r.status());
        assertTrue(r.message(), r.message().contains("http:used"));
        created(api, "/rules", "{\"id\": \"uses\", \"sql\": \"SELECT * FROM \\\"u/#\\\"\", \"actions\": [\"http:used\"]}");
        assertEquals(400, api.delete("/actions/http:used").status());
        assertEquals(204, api.delete("/actions/http:used?also_delete_dep_actions=true").status());
        assertEquals(0, api.get("/rules/uses").json().getAsJsonObject().getAsJsonArray("actions").size());
        assertEquals(204, api.delete("/connectors/http:used").status());
        assertTrue(api.get("/action_types").body().contains("\"http\""));
    }

    @Test
    public void aTenantsIntegrationsAreItsOwnAndGoWithTheTenant() throws Exception {
        assertEquals(200, api.post("/tenants", "{\"id\": \"hooks\"}").status());
        created(api, "/connectors?tenant=hooks", "{\"type\": \"http\", \"name\": \"t1\", \"url\": \"http://127.0.0.1:1\"}");
        assertEquals("another tenant does not see it", 404, api.get("/connectors/http:t1").status());
        assertEquals(200, api.get("/connectors/http:t1?tenant=hooks").status());
        assertEquals(204, api.delete("/tenants/hooks?confirm=true").status());
        assertEquals(200, api.post("/tenants", "{\"id\": \"hooks\"}").status());
        assertEquals("a new tenant of the same id inherits nothing", 0,
                api.get("/connectors?tenant=hooks").json().getAsJsonArray().size());

        // the tenant's max_integrations quota: its actions and sources together
        assertEquals(200, api.put("/tenants/hooks", "{\"quotas\": {\"max_integrations\": 1}}").status());
        created(api, "/connectors?tenant=hooks", "{\"type\": \"http\", \"name\": \"t2\", \"url\": \"http://127.0.0.1:1\"}");
        created(api, "/actions?tenant=hooks", "{\"type\": \"http\", \"name\": \"q1\", \"connector\": \"t2\", \"parameters\": {}}");
        AdminHttp.Reply over = api.post("/actions?tenant=hooks",
                "{\"type\": \"http\", \"name\": \"q2\", \"connector\": \"t2\", \"parameters\": {}}");
        assertEquals(over.body(), 400, over.status());
        assertEquals("QUOTA_EXCEEDED", over.code());
        assertTrue(over.message(), over.message().contains("max_integrations (1"));
        assertEquals("the refusal is counted", 1, api.get("/metrics?tenant=hooks&aggregate=true").json().getAsJsonObject()
                .get("quota.exceeded.max_integrations").getAsLong());
        assertEquals(1, api.get("/actions?tenant=hooks").json().getAsJsonArray().size());
    }

    @Test
    public void aFullBufferDropsTheOldestCountsThemAndRaisesAnAlarm() throws Exception {
        WebhookServer hook = new WebhookServer(null); // never started: the webhook is down throughout
        pipeline(api, "full", hook.url(), "full", "{\"max_buffer_bytes\": \"1KB\", \"request_ttl\": \"infinity\"}");
        Mqtt5BlockingClient dev = connect(dist, "full-dev");
        for (int i = 0; i < 100; i++) {
            publish(dev, "full/x", "{\"n\": " + i + "}");
        }
        await("drops counted").atMost(Duration.ofSeconds(20)).until(() ->
                metrics(api, "http:full").get("dropped.queue_full").getAsLong() > 0);
        JsonObject m = metrics(api, "http:full");
        assertEquals(100, m.get("matched").getAsLong());
        assertEquals(m.get("dropped.queue_full").getAsLong(), m.get("dropped").getAsLong());
        assertTrue(m.toString(), m.get("queuing_bytes").getAsLong() <= 1024);
        await("the alarm").atMost(Duration.ofSeconds(10)).until(() -> api.get("/alarms?activated=true").body()
                .contains("integration_buffer_full/default/http:full"));
    }
}
