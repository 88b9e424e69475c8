package io.aviary.itest;

import static io.aviary.itest.HttpSinkIT.awaitMetric;
import static io.aviary.itest.HttpSinkIT.created;
import static io.aviary.itest.HttpSinkIT.metrics;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The rabbitmq sink end to end against the real RabbitMQ of scripts/services.sh: a real MQTT
 * client publishes to Aviary, a rule hands the message to a rabbitmq action, and the test reads
 * it from a queue bound to the exchange. An outage (RabbitMQ stopped and started again) loses
 * nothing; wrong credentials show as a disconnected connector with RabbitMQ's words, and the
 * probe returns them; a missing exchange is counted as failed without disturbing another action.
 */
public class RabbitMqIT {
    private static Distribution dist;
    private static AdminHttp api;
    private static int port;
    private static Connection reader;
    private final List<String> cleanup = new ArrayList<>();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private Channel ch;

    @BeforeClass
    public static void start() throws Exception {
        port = RealServices.port("rabbitmq");
        dist = new Distribution().start().awaitApi();
        api = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        reader = factory().newConnection();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (reader != null && reader.isOpen()) {
            reader.close();
        }
        if (dist != null) {
            dist.close();
        }
    }

    @After
    public void removeAll() throws Exception {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            api.delete(cleanup.get(i));
        }
    }

    private static ConnectionFactory factory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(port);
        return f;
    }

    private Channel channel() throws Exception {
        if (ch == null || !ch.isOpen()) {
            if (!reader.isOpen()) {
                reader = factory().newConnection();
            }
            ch = reader.createChannel();
        }
        return ch;
    }

    /** A durable exchange and queue (they outlive a RabbitMQ restart), removed by removeAll's caller. */
    private String durableExchangeAndQueue() throws Exception {
        String name = "aviary-it-" + UUID.randomUUID();
        channel().exchangeDeclare(name, "topic", true);
        channel().queueDeclare(name, true, false, false, null);
        channel().queueBind(name, name, "devices.#");
        return name;
    }

    private void deleteExchangeAndQueue(String name) throws Exception {
        channel().queueDelete(name);
        channel().exchangeDelete(name);
    }

    private void createConnector(String name, String password, String healthCheck) throws Exception {
        created(api, "/connectors", """
                {"type": "rabbitmq", "name": "%s", "server": "127.0.0.1", "port": %d, "username": "guest",
                 "password": "%s", "pool_size": 2, "resource_opts": {"health_check_interval": "%s"}}"""
                .formatted(name, port, password, healthCheck));
        cleanup.add("/connectors/rabbitmq:" + name);
    }

    private void createAction(String name, String connector, String exchange) throws Exception {
        created(api, "/actions", """
                {"type": "rabbitmq", "name": "%s", "connector": "%s",
                 "parameters": {"exchange": "%s", "routing_key": "devices.${clientid}",
                                "payload_template": "${clientid}:${payload.n}", "delivery_mode": "persistent"},
                 "resource_opts": {"batch_size": 50, "batch_time": "10ms"}}""".formatted(name, connector, exchange));
        cleanup.add("/actions/rabbitmq:" + name);
    }

    private void createRule(String id, String topic, String... actions) throws Exception {
        created(api, "/rules", """
                {"id": "%s", "sql": "SELECT clientid, payload FROM \\"%s\\"", "actions": ["%s"]}"""
                .formatted(id, topic, String.join("\", \"", actions)));
        cleanup.add("/rules/" + id);
    }

    private Mqtt5BlockingClient device(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        c.connect();
        clients.add(c);
        return c;
    }

    private static void publish(Mqtt5BlockingClient c, String topic, int n) {
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(("{\"n\": " + n + "}").getBytes(StandardCharsets.UTF_8)).send();
    }

    private void awaitConnector(String id, String status) {
        await(id + " " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                api.get("/connectors/" + id).json().getAsJsonObject().get("status").getAsString().equals(status));
    }

    /** Every message of the queue until it has {@code count}, as "routingKey payload". */
    private Set<String> drain(String queue, int count) {
        Set<String> got = new HashSet<>();
        await(count + " messages in " + queue).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            GetResponse r;
            while ((r = channel().basicGet(queue, true)) != null) {
                got.add(r.getEnvelope().getRoutingKey() + " " + new String(r.getBody(), StandardCharsets.UTF_8));
            }
            return got.size() >= count;
        });
        return got;
    }

    @Test
    public void publishedMessagesReachTheQueueBoundToTheExchange() throws Exception {
        String ex = durableExchangeAndQueue();
        try {
            createConnector("r1", "guest", "1s");
            awaitConnector("rabbitmq:r1", "connected");
            createAction("a1", "r1", ex);
            createRule("to-rabbit", "sensors/#", "rabbitmq:a1");

            Mqtt5BlockingClient dev = device("dev1");
            for (int i = 1; i <= 3; i++) {
                publish(dev, "sensors/" + i, i);
            }

            assertEquals(Set.of("devices.dev1 dev1:1", "devices.dev1 dev1:2", "devices.dev1 dev1:3"), drain(ex, 3));
            awaitMetric(api, "rabbitmq:a1", "success", 3);
            JsonObject m = metrics(api, "rabbitmq:a1");
            assertEquals(3, m.get("matched").getAsLong());
            assertEquals(0, m.get("failed").getAsLong());
        } finally {
            deleteExchangeAndQueue(ex);
        }
    }

    @Test
    public void messagesPublishedWhileRabbitMqIsDownAllArriveAfterItStartsAgain() throws Exception {
        String ex = durableExchangeAndQueue();
        try {
            // a long health check interval: the sends themselves meet the outage and are retried
            createConnector("r2", "guest", "60s");
            awaitConnector("rabbitmq:r2", "connected");
            createAction("a2", "r2", ex);
            createRule("to-rabbit-outage", "outage/#", "rabbitmq:a2");
            Mqtt5BlockingClient dev = device("dev2");
            publish(dev, "outage/0", 0);
            assertEquals(Set.of("devices.dev2 dev2:0"), drain(ex, 1));

            RealServices.run("stop", "rabbitmq");
            int n = 20;
            for (int i = 1; i <= n; i++) {
                publish(dev, "outage/" + i, i);
            }
            await("sends retried while RabbitMQ is down").atMost(Duration.ofSeconds(30))
                    .until(() -> metrics(api, "rabbitmq:a2").get("retried").getAsLong() > 0);
            assertEquals("nothing delivered yet", 1, metrics(api, "rabbitmq:a2").get("success").getAsLong());
            RealServices.run("up", "rabbitmq");

            Set<String> got = drain(ex, n);
            for (int i = 1; i <= n; i++) {
                assertTrue("message " + i + " in " + got, got.contains("devices.dev2 dev2:" + i));
            }
            awaitMetric(api, "rabbitmq:a2", "success", n + 1);
            JsonObject m = metrics(api, "rabbitmq:a2");
            assertEquals(0, m.get("failed").getAsLong());
            assertEquals(0, m.get("dropped").getAsLong());
            assertTrue(m.toString(), m.get("retried").getAsLong() > 0);
        } finally {
            deleteExchangeAndQueue(ex);
        }
    }

    @Test
    public void messagesBufferedDuringAnOutageSurviveARestartOfAviaryAndArriveAfterIt() throws Exception {
        String ex = durableExchangeAndQueue();
        try (Distribution own = new Distribution().start().awaitApi()) {
            AdminHttp http = new AdminHttp(own.adminPort, AdminHttp.ADMIN);
            created(http, "/connectors", """
                    {"type": "rabbitmq", "name": "kept", "server": "127.0.0.1", "port": %d, "username": "guest",
                     "password": "guest", "pool_size": 1, "resource_opts": {"health_check_interval": "1s"}}""".formatted(port));
            await("connected").atMost(Duration.ofSeconds(30)).until(() -> http.get("/connectors/rabbitmq:kept").json()
                    .getAsJsonObject().get("status").getAsString().equals("connected"));
            created(http, "/actions", """
                    {"type": "rabbitmq", "name": "kept", "connector": "kept",
                     "parameters": {"exchange": "%s", "routing_key": "devices.${clientid}", "payload_template": "${payload.n}",
                                    "delivery_mode": "persistent"},
                     "resource_opts": {"batch_size": 5, "request_ttl": "infinity"}}""".formatted(ex));
            created(http, "/rules", "{\"id\": \"kept\", \"sql\": \"SELECT clientid, payload FROM \\\"kept/#\\\"\", "
                    + "\"actions\": [\"rabbitmq:kept\"]}");

            RealServices.run("stop", "rabbitmq");
            Mqtt5BlockingClient dev = MqttClient.builder().useMqttVersion5().identifier("kept-dev").serverHost("127.0.0.1")
                    .serverPort(own.mqttPort).buildBlocking();
            dev.connect();
            int n = 30;
            for (int i = 1; i <= n; i++) {
                publish(dev, "kept/x", i);
            }
            await("all buffered").atMost(Duration.ofSeconds(10)).until(() ->
                    metrics(http, "rabbitmq:kept").get("matched").getAsLong() == n);
            dev.disconnect();
            own.stop(Duration.ofSeconds(30));

            own.start().awaitApi();
            RealServices.run("up", "rabbitmq");
            Set<String> expected = new HashSet<>();
            for (int i = 1; i <= n; i++) {
                expected.add("devices.kept-dev " + i);
            }
            assertEquals("every message buffered before the restart arrives", expected, drain(ex, n));
            await("nothing left in the buffer").atMost(Duration.ofSeconds(10)).until(() ->
                    metrics(http, "rabbitmq:kept").get("queuing").getAsLong() == 0);
            assertEquals(0, metrics(http, "rabbitmq:kept").get("failed").getAsLong());
        } finally {
            deleteExchangeAndQueue(ex);
        }
    }

    @Test
    public void wrongCredentialsShowAsDisconnectedWithRabbitMqsRefusalAndTheProbeReturnsIt() throws Exception {
        AdminHttp.Reply probe = api.post("/connectors_probe", """
                {"type": "rabbitmq", "name": "p1", "server": "127.0.0.1", "port": %d, "username": "guest",
                 "password": "wrong"}""".formatted(port));
        assertEquals(probe.body(), 400, probe.status());
        assertEquals("TEST_FAILED", probe.code());
        assertTrue(probe.message(), probe.message().startsWith("ACCESS_REFUSED - Login was refused"));

        createConnector("bad", "wrong", "1s");
        awaitConnector("rabbitmq:bad", "disconnected");
        JsonObject c = api.get("/connectors/rabbitmq:bad").json().getAsJsonObject();
        assertTrue(c.toString(), c.get("status_reason").getAsString().startsWith("ACCESS_REFUSED - Login was refused"));
        assertEquals("the right password probes fine", 204, api.post("/connectors_probe", """
                {"type": "rabbitmq", "name": "p2", "server": "127.0.0.1", "port": %d, "username": "guest",
                 "password": "guest"}""".formatted(port)).status());
    }

    @Test
    public void aMissingExchangeCountsFailuresWithTheErrorAndAnotherActionKeepsWriting() throws Exception {
        String ex = durableExchangeAndQueue();
        try {
            createConnector("r3", "guest", "1s");
            awaitConnector("rabbitmq:r3", "connected");
            createAction("missing", "r3", "no-such-exchange");
            createAction("good", "r3", ex);
            createRule("to-both", "both/#", "rabbitmq:missing", "rabbitmq:good");

            Mqtt5BlockingClient dev = device("dev3");
            publish(dev, "both/1", 1);
            publish(dev, "both/2", 2);

            awaitMetric(api, "rabbitmq:missing", "failed", 2);
            JsonObject bad = metrics(api, "rabbitmq:missing");
            assertEquals(0, bad.get("success").getAsLong());
            assertTrue(bad.toString(), bad.get("last_error").getAsString()
                    .contains("NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'"));
            assertEquals(Set.of("devices.dev3 dev3:1", "devices.dev3 dev3:2"), drain(ex, 2));
            awaitMetric(api, "rabbitmq:good", "success", 2);
            assertEquals(0, metrics(api, "rabbitmq:good").get("failed").getAsLong());
            assertEquals("the connector stays connected", "connected",
                    api.get("/connectors/rabbitmq:r3").json().getAsJsonObject().get("status").getAsString());
        } finally {
            deleteExchangeAndQueue(ex);
        }
    }
}
