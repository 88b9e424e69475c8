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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Test;

/**
 * The SQL sinks end to end, the same scenarios for MySQL (MariaDB) and PostgreSQL: a real MQTT
 * client publishes, a rule selects the message, its action inserts it through the real server,
 * and the test reads the rows back with the server's own client. Outages stop the real server
 * (only the PID scripts/services.sh recorded) and start it again; bad configs are refused by the
 * real server with its own words.
 */
public abstract class SqlSinkITBase {
    private static final AtomicInteger NAMES = new AtomicInteger();
    protected static Distribution dist;
    protected static AdminHttp api;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();
    /** API paths of what a test created, deleted after it (rules first) so no pool outlives its test. */
    private final List<String> createdPaths = new ArrayList<>();

    /** EMQX's connector type name: mysql or pgsql. */
    protected abstract String type();

    /** The service of scripts/services.sh: mariadb or postgres. */
    protected abstract String service();

    /** Runs SQL with the server's command-line client; returns its unaligned output. */
    protected abstract String query(String sql) throws Exception;

    /** EMQX's default insert template for this database, on the given table. */
    protected abstract String insertTemplate(String table);

    protected abstract String createTable(String table);

    /** What the server says about a table that does not exist, and about a wrong password. */
    protected abstract String missingTableError(String table);

    protected abstract String wrongPasswordError();

    protected static void startDistribution() throws Exception {
        dist = new Distribution().env("AVIARY_LOG__LEVEL", "info").start().awaitApi();
        api = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
    }

    @AfterClass
    public static void stopDistribution() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @After
    public void cleanUp() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        for (int i = createdPaths.size() - 1; i >= 0; i--) {
            api.delete(createdPaths.get(i));
        }
        for (String t : tables) {
            query("drop table if exists " + t);
        }
    }

    protected String name(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
    }

    protected String table() throws Exception {
        String t = name("t_mqtt_msg");
        query(createTable(t));
        tables.add(t);
        return t;
    }

    protected String connectorJson(String name, String password, String healthCheckInterval) throws Exception {
        return """
                {"type": "%s", "name": "%s", "server": "127.0.0.1:%d", "database": "%s", "username": "%s",
                 "password": "%s", "pool_size": 2, "resource_opts": {"health_check_interval": "%s"}}"""
                .formatted(type(), name, SqlServers.port(service()), SqlServers.DATABASE, SqlServers.USER, password,
                        healthCheckInterval);
    }

    protected String connector(String password) throws Exception {
        String name = name("c");
        created("/connectors", connectorJson(name, password, "1s"));
        createdPaths.add("/connectors/" + type() + ":" + name);
        return name;
    }

    protected String action(String connector, String sql) throws Exception {
        String name = name("a");
        JsonObject body = new JsonObject();
        body.addProperty("type", type());
        body.addProperty("name", name);
        body.addProperty("connector", connector);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("sql", sql);
        body.add("parameters", parameters);
        JsonObject opts = new JsonObject();
        opts.addProperty("batch_size", 100);
        opts.addProperty("batch_time", "10ms");
        opts.addProperty("health_check_interval", "1s");
        // the outage tests outlast EMQX's default request_ttl of 45 s on a slow machine
        opts.addProperty("request_ttl", "10m");
        body.add("resource_opts", opts);
        created("/actions", body.toString());
        createdPaths.add("/actions/" + type() + ":" + name);
        return type() + ":" + name;
    }

    protected void rule(String topicFilter, String... actionIds) throws Exception {
        JsonObject body = new JsonObject();
        String id = name("r");
        createdPaths.add("/rules/" + id);
        body.addProperty("id", id);
        body.addProperty("sql", "SELECT * FROM \"" + topicFilter + "\"");
        com.google.gson.JsonArray actions = new com.google.gson.JsonArray();
        for (String a : actionIds) {
            actions.add(a);
        }
        body.add("actions", actions);
        created("/rules", body.toString());
    }

    protected static JsonObject created(String path, String json) throws Exception {
        AdminHttp.Reply r = api.post(path, json);
        assertEquals(r.body(), 201, r.status());
        return r.json().getAsJsonObject();
    }

    protected static JsonObject metrics(String actionId) throws Exception {
        AdminHttp.Reply r = api.get("/actions/" + actionId + "/metrics");
        assertEquals(r.body(), 200, r.status());
        return r.json().getAsJsonObject().getAsJsonObject("metrics");
    }

    protected static long metric(String actionId, String name) throws Exception {
        JsonObject m = metrics(actionId);
        return m.has(name) ? m.get(name).getAsLong() : 0;
    }

    protected static void awaitMetric(String actionId, String name, long value, Duration within) {
        await(actionId + " " + name + " = " + value).atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> metric(actionId, name) == value);
    }

    protected long rows(String table) throws Exception {
        return Long.parseLong(query("select count(*) from " + table));
    }

    protected void awaitRows(String table, long n, Duration within) {
        await(table + " has " + n + " rows").atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> rows(table) == n);
    }

    protected Mqtt5BlockingClient client() {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(name("dev")).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        c.connect();
        closing.add(() -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        return c;
    }

    protected static void publish(Mqtt5BlockingClient c, String topic, String payload) {
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private JsonObject connectorView(String name) throws Exception {
        AdminHttp.Reply r = api.get("/connectors/" + type() + ":" + name);
        assertEquals(r.body(), 200, r.status());
        return r.json().getAsJsonObject();
    }

    private void awaitConnector(String name, String status) {
        await("connector " + name + " " + status).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> connectorView(name).get("status").getAsString().equals(status));
    }

    @Test
    public void publishedMessagesBecomeRowsWithHostileValuesVerbatim() throws Exception {
        String table = table();
        String connector = connector(SqlServers.PASSWORD);
        String action = action(connector, insertTemplate(table));
        String topic = name("sensors");
        rule(topic + "/#", action);
        awaitConnector(connector, "connected");

        Mqtt5BlockingClient device = client();
        String hostile = "it's \"quoted\" \\ '); drop table " + table + "; -- ${topic} \u00e9\ud83d\ude00";
        publish(device, topic + "/1", "{\"temp\": 21.5}");
        publish(device, topic + "/2", hostile);
        publish(device, topic + "/3", "");

        awaitRows(table, 3, Duration.ofSeconds(30));
        assertEquals(hostile, query("select payload from " + table + " where topic = '" + topic + "/2'"));
        assertEquals("{\"temp\": 21.5}", query("select payload from " + table + " where topic = '" + topic + "/1'"));
        awaitMetric(action, "success", 3, Duration.ofSeconds(10));
        assertEquals(3, metric(action, "matched"));
        assertEquals(0, metric(action, "failed"));
    }

    @Test
    public void anOutageLosesNothingAndTheMetricsShowTheRetries() throws Exception {
        String table = table();
        String connector = connector(SqlServers.PASSWORD);
        String action = action(connector, insertTemplate(table));
        String topic = name("outage");
        rule(topic + "/#", action);
        awaitConnector(connector, "connected");
        Mqtt5BlockingClient device = client();

        // a device publishes steadily before, during and after the outage, so batches are on their
        // way when the server goes away (they fail and are retried) and others wait in the buffer
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        Thread publisher = new Thread(() -> {
            while (publishing.get()) {
                int i = published.get();
                publish(device, topic + "/" + i, "message " + i);
                published.incrementAndGet();
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
        }, "outage-publisher");
        publisher.start();
        try {
            await("publishing").atMost(Duration.ofSeconds(10)).until(() -> published.get() >= 20);
            SqlServers.services("stop", service());
            try {
                await("retries while the server is down").atMost(Duration.ofSeconds(30)).until(() -> metric(action, "retried") > 0);
                awaitConnector(connector, "disconnected");
                int before = published.get();
                await("publishing during the outage").atMost(Duration.ofSeconds(10)).until(() -> published.get() >= before + 20);
            } finally {
                SqlServers.services("up", service());
            }
            int back = published.get();
            await("publishing after the outage").atMost(Duration.ofSeconds(10)).until(() -> published.get() >= back + 20);
        } finally {
            publishing.set(false);
            publisher.join(10_000);
        }
        int n = published.get();
        // at least once: a batch whose commit reached the server just before its connection died
        // is sent again, so every message is a row, and a rare one may be two
        await("every published message is a row").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> query("select count(distinct topic) from " + table), c -> c.equals(String.valueOf(n)));
        awaitMetric(action, "success", n, Duration.ofSeconds(10));
        assertEquals(0, metric(action, "failed"));
        assertTrue(metrics(action).toString(), metric(action, "retried") > 0);
    }

    @Test
    public void messagesBufferedDuringAnOutageSurviveAnAviaryRestart() throws Exception {
        String table = table();
        String connector = connector(SqlServers.PASSWORD);
        String action = action(connector, insertTemplate(table));
        String topic = name("restart");
        rule(topic + "/#", action);
        awaitConnector(connector, "connected");

        int n = 10;
        SqlServers.services("stop", service());
        try {
            Mqtt5BlockingClient device = client();
            for (int i = 0; i < n; i++) {
                publish(device, topic + "/" + i, "buffered " + i);
            }
            awaitMetric(action, "matched", n, Duration.ofSeconds(10));
            device.disconnect();
            dist.stop(Duration.ofSeconds(30));
            dist.start();
            dist.awaitApi();
        } finally {
            SqlServers.services("up", service());
        }
        try {
            awaitRows(table, n, Duration.ofSeconds(90));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // what the runtime thought, for the post-mortem
            throw new AssertionError(rows(table) + " of " + n + " rows; action " + metrics(action) + "; connector "
                    + connectorView(connector) + "; Aviary's log: " + dist.home.resolve("log"), e);
        }
        assertEquals("buffered 7", query("select payload from " + table + " where topic = '" + topic + "/7'"));
    }

    @Test
    public void aTemplateOnAMissingTableCountsFailuresWithTheServersErrorAndDisturbsNothingElse() throws Exception {
        String good = table();
        String missing = name("no_such_table");
        String connector = connector(SqlServers.PASSWORD);
        String bad = action(connector, insertTemplate(missing));
        String fine = action(connector, insertTemplate(good));
        String topic = name("badcfg");
        rule(topic + "/#", bad, fine);

        Mqtt5BlockingClient device = client();
        publish(device, topic + "/1", "one");
        publish(device, topic + "/2", "two");

        awaitMetric(bad, "failed", 2, Duration.ofSeconds(30));
        JsonObject m = metrics(bad);
        assertTrue(m.toString(), m.get("last_error").getAsString().contains(missingTableError(missing)));
        assertEquals("a missing table is not retried", 0, m.get("retried").getAsLong());
        assertEquals(0, m.get("success").getAsLong());
        awaitRows(good, 2, Duration.ofSeconds(30));
        awaitMetric(fine, "success", 2, Duration.ofSeconds(10));
        assertEquals("the connector itself is fine", "connected", connectorView(connector).get("status").getAsString());
    }

    @Test
    public void wrongCredentialsDisconnectTheConnectorWithTheServersErrorAndTheProbeReturnsIt() throws Exception {
        String connector = connector("wrong-password");
        awaitConnector(connector, "disconnected");
        JsonObject view = connectorView(connector);
        assertTrue(view.toString(), view.get("status_reason").getAsString().contains(wrongPasswordError()));

        AdminHttp.Reply probe = api.post("/connectors_probe", connectorJson(name("probe"), "wrong-password", "1s"));
        assertEquals(probe.body(), 400, probe.status());
        JsonObject error = probe.json().getAsJsonObject();
        assertEquals("TEST_FAILED", error.get("code").getAsString());
        assertTrue(error.toString(), error.get("message").getAsString().contains(wrongPasswordError()));

        AdminHttp.Reply good = api.post("/connectors_probe", connectorJson(name("probe"), SqlServers.PASSWORD, "1s"));
        assertEquals(good.body(), 204, good.status());
    }
}
