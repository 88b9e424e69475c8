package io.aviary.bridge.rabbitmq;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.google.gson.JsonParser;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.aviary.api.integration.Connector;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The rabbitmq sink against the real RabbitMQ that scripts/services.sh started: what a batch
 * publishes is read back from a queue bound to the exchange, and failures carry the broker's own
 * words with the right retry decision.
 */
public class RabbitMqSinkTest {
    private static int port;
    private static Connection reader;
    private Channel ch;
    private String exchange;
    private String queue;
    private Connector connector;

    @BeforeClass
    public static void connectReader() throws Exception {
        port = TestServices.port("rabbitmq");
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(port);
        reader = f.newConnection();
    }

    @AfterClass
    public static void closeReader() throws Exception {
        reader.close();
    }

    @Before
    public void declare() throws Exception {
        ch = reader.createChannel();
        exchange = "aviary-test-" + UUID.randomUUID();
        ch.exchangeDeclare(exchange, "topic", false, true, null);
        queue = ch.queueDeclare().getQueue();
        ch.queueBind(queue, exchange, "devices.#");
    }

    @After
    public void cleanUp() throws Exception {
        if (connector != null) {
            connector.close();
        }
        if (ch.isOpen()) {
            ch.exchangeDelete(exchange);
            ch.close();
        }
    }

    private Connector open(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(Map.of("server", "127.0.0.1", "port", (long) port,
                "username", "guest", "password", "guest", "pool_size", 2L));
        config.putAll(overrides);
        connector = new RabbitMqConnectorType(Map.of("tenant", "t1")).open(TestContext.of("rabbitmq:r1"), config);
        return connector;
    }

    private static Map<String, Object> record(String clientId, long temp) {
        return Map.of("clientid", clientId, "topic", "t/" + clientId, "payload", Map.of("temp", temp));
    }

    private GetResponse next() throws Exception {
        GetResponse r = ch.basicGet(queue, true);
        assertNotNull("a message in the bound queue", r);
        return r;
    }

    @Test
    public void batchIsPublishedWithRenderedRoutingKeyPayloadHeadersAndProperties() throws Exception {
        Sink sink = open(Map.of()).sink("rabbitmq:a1", Map.of("exchange", exchange,
                "routing_key", "devices.${clientid}", "payload_template", "${clientid}=${payload.temp}",
                "delivery_mode", "persistent",
                "headers_template", List.of(Map.of("key", "source", "value", "${topic}")),
                "properties_template", List.of(Map.of("key", "content_type", "value", "text/plain"),
                        Map.of("key", "timestamp", "value", "1700000000"))));

        sink.send(List.of(record("c1", 21), record("c2", 22), record("c3", 23))).toCompletableFuture().get(10, TimeUnit.SECONDS);

        for (int i = 1; i <= 3; i++) {
            GetResponse r = next();
            assertEquals("devices.c" + i, r.getEnvelope().getRoutingKey());
            assertEquals("c" + i + "=2" + i, new String(r.getBody(), StandardCharsets.UTF_8));
            assertEquals(Integer.valueOf(2), r.getProps().getDeliveryMode());
            assertEquals("t/c" + i, r.getProps().getHeaders().get("source").toString());
            assertEquals("text/plain", r.getProps().getContentType());
            assertEquals(1_700_000_000_000L, r.getProps().getTimestamp().getTime());
        }
        assertNull("exactly the batch", ch.basicGet(queue, true));
        sink.close();
    }

    @Test
    public void emptyPayloadTemplateSendsTheRuleOutputAsJson() throws Exception {
        Sink sink = open(Map.of()).sink("rabbitmq:a1", Map.of("exchange", exchange, "routing_key", "devices.x"));

        sink.send(List.of(record("c9", 5))).toCompletableFuture().get(10, TimeUnit.SECONDS);

        GetResponse r = next();
        var json = JsonParser.parseString(new String(r.getBody(), StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("c9", json.get("clientid").getAsString());
        assertEquals(5, json.getAsJsonObject("payload").get("temp").getAsInt());
        assertEquals("non_persistent is AMQP delivery mode 1", Integer.valueOf(1), r.getProps().getDeliveryMode());
    }

    @Test
    public void missingExchangeFailsTheBatchAsFatalWithTheBrokersWords() throws Exception {
        Sink sink = open(Map.of()).sink("rabbitmq:a1", Map.of("exchange", "no-such-exchange-" + UUID.randomUUID(),
                "routing_key", "devices.x"));

        SinkException e = failure(sink, List.of(record("c1", 1)));

        assertFalse("a missing exchange is not retried", e.retryable());
        assertTrue(e.getMessage(), e.getMessage().startsWith("NOT_FOUND - no exchange 'no-such-exchange-"));
        // the sink keeps working for the next batch on a fresh channel
        Sink good = connector.sink("rabbitmq:a2", Map.of("exchange", exchange, "routing_key", "devices.y"));
        good.send(List.of(record("c2", 2))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("devices.y", next().getEnvelope().getRoutingKey());
    }

    @Test
    public void wrongPasswordIsReportedByCheckWithTheBrokersRefusalWithinFiveSeconds() throws Exception {
        Connector c = open(Map.of("password", "wrong"));
        long start = System.nanoTime();

        Health h = c.check().toCompletableFuture().get(10, TimeUnit.SECONDS);

        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertTrue(h.error(), h.error().startsWith("ACCESS_REFUSED - Login was refused"));
        assertTrue("answered in " + ms + " ms", ms < 5000);
        SinkException e = failure(c.sink("rabbitmq:a1", Map.of("exchange", exchange, "routing_key", "devices.x")),
                List.of(record("c1", 1)));
        assertFalse("a refused login is not retried", e.retryable());
    }

    @Test
    public void checkReportsConnectedAgainstTheRunningBroker() throws Exception {
        Health h = open(Map.of()).check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Health.Status.CONNECTED, h.status());
        assertNull(h.error());
    }

    @Test
    public void brokerNotListeningIsRetryableAndCheckSaysConnectionRefused() throws Exception {
        Connector c = open(Map.of("port", (long) TestServices.closedPort()));

        Health h = c.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        SinkException e = failure(c.sink("rabbitmq:a1", Map.of("routing_key", "q")), List.of(record("c1", 1)));

        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertEquals("Connection refused", h.error());
        assertTrue("the broker may come back", e.retryable());
        assertEquals("Connection refused", e.getMessage());
    }

    @Test
    public void unknownVirtualHostIsReportedByCheck() throws Exception {
        Health h = open(Map.of("virtual_host", "no-such-vhost")).check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertTrue(h.error(), h.error().contains("vhost no-such-vhost not found"));
    }

    @Test
    public void aTemplateThatIsNotValidIsRefusedNamingTheField() {
        Connector c = open(Map.of());
        try {
            c.sink("rabbitmq:a1", Map.of("routing_key", "x", "properties_template",
                    List.of(Map.of("key", "priority", "value", "1"))));
            fail("unknown property accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("parameters.properties_template"));
        }
    }

    @Test
    public void brokerNackOfAFullQueueFailsTheBatchAsRetryable() throws Exception {
        String full = ch.queueDeclare("", false, true, true, Map.of("x-max-length", 1, "x-overflow", "reject-publish")).getQueue();
        ch.queueBind(full, exchange, "full.#");
        Sink sink = open(Map.of()).sink("rabbitmq:a1", Map.of("exchange", exchange, "routing_key", "full.x"));

        SinkException e = failure(sink, List.of(record("c1", 1), record("c2", 2), record("c3", 3)));

        assertTrue("a nack may succeed later", e.retryable());
        assertEquals("RabbitMQ: Got NACK when waiting for message acknowledgment.", e.getMessage());
        ch.queuePurge(full);
        sink.send(List.of(record("c4", 4))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("c4", JsonParser.parseString(new String(ch.basicGet(full, true).getBody(), StandardCharsets.UTF_8))
                .getAsJsonObject().get("clientid").getAsString());
    }

    @Test
    public void connectionsClosedByTheBrokerAreMadeAgainForTheNextBatch() throws Exception {
        // closing every connection also ends this test's reader, so the queue must outlive it
        String durable = "aviary-test-q-" + UUID.randomUUID();
        ch.exchangeDeclare(durable, "topic", false, false, null);
        ch.queueDeclare(durable, false, false, false, null);
        ch.queueBind(durable, durable, "#");
        try {
            Sink sink = open(Map.of("pool_size", 1L)).sink("rabbitmq:a1", Map.of("exchange", durable, "routing_key", "a"));
            sink.send(List.of(record("c1", 1))).toCompletableFuture().get(10, TimeUnit.SECONDS);

            Process p = new ProcessBuilder(TestServices.root().resolve("scripts/services.sh").toString(), "rabbitmqctl",
                    "close_all_connections", "test: connection loss").redirectErrorStream(true).start();
            assertEquals(new String(p.getInputStream().readAllBytes()), 0, p.waitFor());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                try {
                    sink.send(List.of(record("c2", 2))).toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertTrue("a lost connection is retryable: " + e.getCause(), ((SinkException) e.getCause()).retryable());
                    throw e;
                }
            });

            connectReader();
            ch = reader.createChannel();
            assertTrue(new String(ch.basicGet(durable, true).getBody(), StandardCharsets.UTF_8).contains("\"c1\""));
            assertTrue(new String(ch.basicGet(durable, true).getBody(), StandardCharsets.UTF_8).contains("\"c2\""));
        } finally {
            if (!ch.isOpen()) {
                connectReader();
                ch = reader.createChannel();
            }
            ch.queueDelete(durable);
            ch.exchangeDelete(durable);
        }
    }

    private static SinkException failure(Sink sink, List<Map<String, Object>> batch) throws Exception {
        try {
            sink.send(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertTrue("a SinkException, not " + e.getCause(), e.getCause() instanceof SinkException);
            return (SinkException) e.getCause();
        }
        throw new AssertionError("the batch did not fail");
    }
}
