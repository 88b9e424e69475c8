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
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;

/**
 * The redis sink end to end against the real Redis (single node and a 3-master cluster) of
 * scripts/services.sh: a real MQTT client publishes to Aviary, a rule hands the message to a
 * redis action, and the test reads it back with a Redis client. An outage (Redis stopped and
 * started again) loses nothing; wrong credentials show as a disconnected connector with Redis's
 * words, and the probe returns them; a command Redis refuses (WRONGTYPE) is counted as failed
 * without disturbing another action.
 */
public class RedisIT {
    private static Distribution dist;
    private static AdminHttp api;
    private static int port;
    private final String prefix = "aviary-it:" + UUID.randomUUID() + ":";
    private final List<String> cleanup = new ArrayList<>();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @BeforeClass
    public static void start() throws Exception {
        port = RealServices.port("redis");
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
    public void removeAll() throws Exception {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            api.delete(cleanup.get(i));
        }
        try (RedisClient redis = RedisClient.create("127.0.0.1", port)) {
            redis.keys(prefix + "*").forEach(redis::del);
        }
    }

    private void createConnector(String name, String parameters, String healthCheck) throws Exception {
        created(api, "/connectors", """
                {"type": "redis", "name": "%s", "parameters": %s, "resource_opts": {"health_check_interval": "%s"}}"""
                .formatted(name, parameters, healthCheck));
        cleanup.add("/connectors/redis:" + name);
    }

    private String single(String extra) {
        return "{\"redis_type\": \"single\", \"server\": \"127.0.0.1:" + port + "\", \"pool_size\": 2" + extra + "}";
    }

    private void createAction(String name, String connector, String commandTemplate) throws Exception {
        created(api, "/actions", """
                {"type": "redis", "name": "%s", "connector": "%s", "parameters": {"command_template": %s},
                 "resource_opts": {"batch_size": 50, "batch_time": "10ms"}}""".formatted(name, connector, commandTemplate));
        cleanup.add("/actions/redis:" + name);
    }

    private void createRule(String id, String topic, String... actions) throws Exception {
        created(api, "/rules", """
                {"id": "%s", "sql": "SELECT clientid, payload, topic FROM \\"%s\\"", "actions": ["%s"]}"""
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
        awaitConnector(api, id, status);
    }

    private static void awaitConnector(AdminHttp api, String id, String status) {
        await(id + " " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                api.get("/connectors/" + id).json().getAsJsonObject().get("status").getAsString().equals(status));
    }

    @Test
    public void publishedMessagesAreWrittenWithTheCommandTemplate() throws Exception {
        createConnector("s1", single(""), "1s");
        awaitConnector("redis:s1", "connected");
        createAction("last", "s1", "[\"HSET\", \"" + prefix + "${clientid}\", \"n\", \"${payload.n}\", \"topic\", \"${topic}\"]");
        createAction("log", "s1", "[\"RPUSH\", \"" + prefix + "log\", \"${payload.n}\"]");
        createRule("to-redis", "sensors/#", "redis:last", "redis:log");

        Mqtt5BlockingClient dev = device("dev1");
        for (int i = 1; i <= 5; i++) {
            publish(dev, "sensors/" + i, i);
        }

        awaitMetric(api, "redis:log", "success", 5);
        awaitMetric(api, "redis:last", "success", 5);
        try (RedisClient redis = RedisClient.create("127.0.0.1", port)) {
            assertEquals(List.of("1", "2", "3", "4", "5"), redis.lrange(prefix + "log", 0, -1));
            assertEquals("5", redis.hget(prefix + "dev1", "n"));
            assertEquals("sensors/5", redis.hget(prefix + "dev1", "topic"));
        }
        assertEquals(0, metrics(api, "redis:log").get("failed").getAsLong());
    }

    @Test
    public void clusterModeWritesKeysOfEveryNode() throws Exception {
        String servers = RealServices.file("redis-cluster", "servers");
        createConnector("c1", "{\"redis_type\": \"cluster\", \"servers\": \"" + servers + "\", \"pool_size\": 2}", "1s");
        awaitConnector("redis:c1", "connected");
        createAction("per_device", "c1", "[\"SET\", \"" + prefix + "${clientid}\", \"${payload.n}\"]");
        createRule("to-cluster", "cluster/#", "redis:per_device");

        int devices = 12; // keys spread over the three masters' slots
        for (int i = 0; i < devices; i++) {
            publish(device("node-dev" + i), "cluster/x", i);
        }

        awaitMetric(api, "redis:per_device", "success", devices);
        Set<HostAndPort> nodes = new HashSet<>();
        for (String s : servers.split(",")) {
            nodes.add(HostAndPort.from(s));
        }
        try (RedisClusterClient cluster = RedisClusterClient.create(nodes)) {
            for (int i = 0; i < devices; i++) {
                assertEquals(String.valueOf(i), cluster.get(prefix + "node-dev" + i));
                cluster.del(prefix + "node-dev" + i);
            }
        }
    }

    @Test
    public void messagesPublishedWhileRedisIsDownAllArriveAfterItStartsAgain() throws Exception {
        // a long health check interval: the sends themselves meet the outage and are retried
        createConnector("s2", single(""), "60s");
        awaitConnector("redis:s2", "connected");
        createAction("outage", "s2", "[\"RPUSH\", \"" + prefix + "outage\", \"${payload.n}\"]");
        createRule("to-redis-outage", "outage/#", "redis:outage");
        Mqtt5BlockingClient dev = device("dev2");
        publish(dev, "outage/0", 0);
        awaitMetric(api, "redis:outage", "success", 1);

        RealServices.run("stop", "redis");
        int n = 20;
        for (int i = 1; i <= n; i++) {
            publish(dev, "outage/" + i, i);
        }
        await("sends retried while Redis is down").atMost(Duration.ofSeconds(30))
                .until(() -> metrics(api, "redis:outage").get("retried").getAsLong() > 0);
        assertEquals("nothing written yet", 1, metrics(api, "redis:outage").get("success").getAsLong());
        RealServices.run("up", "redis");

        awaitMetric(api, "redis:outage", "success", n + 1);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            expected.add(String.valueOf(i));
        }
        try (RedisClient redis = RedisClient.create("127.0.0.1", port)) {
            // the restarted Redis keeps no data (no persistence): exactly the messages of the outage, once each
            // (batches retried in parallel after the outage may land in another order)
            assertEquals(expected, sortedNumbers(redis.lrange(prefix + "outage", 0, -1)));
        }
        JsonObject m = metrics(api, "redis:outage");
        assertEquals(0, m.get("failed").getAsLong());
        assertEquals(0, m.get("dropped").getAsLong());
        assertTrue(m.toString(), m.get("retried").getAsLong() > 0);
    }

    private static List<String> sortedNumbers(List<String> values) {
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(java.util.Comparator.comparingInt(Integer::parseInt));
        return sorted;
    }

    @Test
    public void messagesBufferedDuringAnOutageSurviveARestartOfAviaryAndArriveAfterIt() throws Exception {
        try (Distribution own = new Distribution().start().awaitApi()) {
            AdminHttp http = new AdminHttp(own.adminPort, AdminHttp.ADMIN);
            created(http, "/connectors", "{\"type\": \"redis\", \"name\": \"kept\", \"parameters\": " + single("")
                    + ", \"resource_opts\": {\"health_check_interval\": \"1s\"}}");
            awaitConnector(http, "redis:kept", "connected");
            created(http, "/actions", """
                    {"type": "redis", "name": "kept", "connector": "kept",
                     "parameters": {"command_template": ["RPUSH", "%skept", "${payload.n}"]},
                     "resource_opts": {"batch_size": 5, "request_ttl": "infinity"}}""".formatted(prefix));
            created(http, "/rules", "{\"id\": \"kept\", \"sql\": \"SELECT payload FROM \\\"kept/#\\\"\", "
                    + "\"actions\": [\"redis:kept\"]}");

            RealServices.run("stop", "redis");
            Mqtt5BlockingClient dev = MqttClient.builder().useMqttVersion5().identifier("kept-dev").serverHost("127.0.0.1")
                    .serverPort(own.mqttPort).buildBlocking();
            dev.connect();
            int n = 30;
            for (int i = 1; i <= n; i++) {
                publish(dev, "kept/x", i);
            }
            await("all buffered").atMost(Duration.ofSeconds(10)).until(() ->
                    metrics(http, "redis:kept").get("matched").getAsLong() == n);
            dev.disconnect();
            own.stop(Duration.ofSeconds(30));

            own.start().awaitApi();
            RealServices.run("up", "redis");
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                expected.add(String.valueOf(i));
            }
            try (RedisClient redis = RedisClient.create("127.0.0.1", port)) {
                await("every message buffered before the restart is written").atMost(Duration.ofSeconds(30))
                        .until(() -> redis.llen(prefix + "kept") >= n);
                assertEquals(expected, sortedNumbers(redis.lrange(prefix + "kept", 0, -1)));
            }
            await("nothing left in the buffer").atMost(Duration.ofSeconds(10)).until(() ->
                    metrics(http, "redis:kept").get("queuing").getAsLong() == 0);
            assertEquals(0, metrics(http, "redis:kept").get("failed").getAsLong());
        }
    }

    @Test
    public void wrongCredentialsShowAsDisconnectedWithRedisRefusalAndTheProbeReturnsIt() throws Exception {
        try (RedisClient redis = RedisClient.create("127.0.0.1", port)) {
            redis.sendCommand(Protocol.Command.ACL, "SETUSER", "aviary_it", "on", ">right", "~*", "+@all");
        }
        String wrong = single(", \"username\": \"aviary_it\", \"password\": \"wrong\"");
        AdminHttp.Reply probe = api.post("/connectors_probe", "{\"type\": \"redis\", \"name\": \"p1\", \"parameters\": " + wrong + "}");
        assertEquals(probe.body(), 400, probe.status());
        assertEquals("TEST_FAILED", probe.code());
        assertEquals("WRONGPASS invalid username-password pair or user is disabled.", probe.message());

        createConnector("bad", wrong, "1s");
        awaitConnector("redis:bad", "disconnected");
        JsonObject c = api.get("/connectors/redis:bad").json().getAsJsonObject();
        assertEquals("WRONGPASS invalid username-password pair or user is disabled.", c.get("status_reason").getAsString());
        assertEquals("the right password probes fine", 204, api.post("/connectors_probe", "{\"type\": \"redis\", \"name\": \"p2\", "
                + "\"parameters\": " + single(", \"username\": \"aviary_it\", \"password\": \"right\"") + "}").status());
    }

    @Test
    public void aCommandRedisRefusesCountsFailuresWithTheErrorAndAnotherActionKeepsWriting() throws Exception {
        try (RedisClient redis = RedisClient.create("127.0.0.1", port)) {
            redis.set(prefix + "not-a-list", "a string");
        }
        createConnector("s3", single(""), "1s");
        awaitConnector("redis:s3", "connected");
        createAction("wrongtype", "s3", "[\"RPUSH\", \"" + prefix + "not-a-list\", \"${payload.n}\"]");
        createAction("fine", "s3", "[\"RPUSH\", \"" + prefix + "fine\", \"${payload.n}\"]");
        createRule("to-both", "both/#", "redis:wrongtype", "redis:fine");

        Mqtt5BlockingClient dev = device("dev3");
        publish(dev, "both/1", 1);
        publish(dev, "both/2", 2);

        awaitMetric(api, "redis:wrongtype", "failed", 2);
        JsonObject bad = metrics(api, "redis:wrongtype");
        assertEquals(0, bad.get("success").getAsLong());
        assertEquals(0, bad.get("retried").getAsLong());
        assertTrue(bad.toString(), bad.get("last_error").getAsString()
                .contains("WRONGTYPE Operation against a key holding the wrong kind of value"));
        awaitMetric(api, "redis:fine", "success", 2);
        try (RedisClient redis = RedisClient.create("127.0.0.1", port)) {
            assertEquals(List.of("1", "2"), redis.lrange(prefix + "fine", 0, -1));
            assertEquals("a string", redis.get(prefix + "not-a-list"));
        }
        assertEquals("the connector stays connected", "connected",
                api.get("/connectors/redis:s3").json().getAsJsonObject().get("status").getAsString());
    }
}
