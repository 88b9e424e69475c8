package io.aviary.rules.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.api.client.ClientInfo;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Integrations;
import io.aviary.api.message.Message;
import io.aviary.api.rules.RuleAction;
import io.aviary.api.rules.RuleDefinition;
import io.aviary.api.rules.RuleMetrics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.Test;

/**
 * The rule engine's side of the data integration: an action named by id ("http:a1") hands each
 * output to {@link Integrations#dispatch} (recorded here by a stand-in that implements only that
 * call), a refusal counts the rule's action failed with its reason, and a source's messages run
 * the rules that select FROM "$bridges/<source id>".
 */
public class IntegrationActionTest {

    /** Records dispatches; refuses the action ids it is told to. */
    static final class RecordingIntegrations implements Integrations {
        record Dispatch(String tenant, String actionId, String ruleId, Map<String, Object> output) {}

        final List<Dispatch> dispatched = new CopyOnWriteArrayList<>();
        volatile String refuse = "";

        @Override
        public void dispatch(String tenant, String actionId, String ruleId, Map<String, Object> output) {
            if (actionId.equals(refuse)) {
                throw new IllegalStateException("action '" + actionId + "' does not exist");
            }
            dispatched.add(new Dispatch(tenant, actionId, ruleId, output));
        }

        @Override public List<Map<String, Object>> list(String t, Kind k) { throw new UnsupportedOperationException(); }
        @Override public Optional<Map<String, Object>> get(String t, Kind k, String id) { throw new UnsupportedOperationException(); }
        @Override public Map<String, Object> create(String t, Kind k, Map<String, Object> c) { throw new UnsupportedOperationException(); }
        @Override public Optional<Map<String, Object>> update(String t, Kind k, String id, Map<String, Object> c) { throw new UnsupportedOperationException(); }
        @Override public boolean delete(String t, Kind k, String id) { throw new UnsupportedOperationException(); }
        @Override public boolean operate(String t, Kind k, String id, String op) { throw new UnsupportedOperationException(); }
        @Override public boolean enable(String t, Kind k, String id, boolean on) { throw new UnsupportedOperationException(); }
        @Override public Health probe(String t, Kind k, Map<String, Object> c) { throw new UnsupportedOperationException(); }
        @Override public Optional<Map<String, Object>> metrics(String t, Kind k, String id) { throw new UnsupportedOperationException(); }
        @Override public boolean resetMetrics(String t, Kind k, String id) { throw new UnsupportedOperationException(); }
        @Override public List<String> types(Kind k) { throw new UnsupportedOperationException(); }
        @Override public int deleteAll(String t) { throw new UnsupportedOperationException(); }
    }

    private final RecordingBroker broker = new RecordingBroker();
    private final RecordingIntegrations integrations = new RecordingIntegrations();
    private final RuleEngine engine = new RuleEngine(new RuleStore(null), "n", new RuleWorkers(1, 100), () -> broker,
            on -> { });

    {
        engine.integrations(() -> integrations);
        engine.load();
    }

    @After
    public void stop() {
        engine.stop();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    private void publish(String tenant, String topic, String payload) {
        ClientInfo client = new ClientInfo(tenant, "dev-1", "u", new InetSocketAddress("127.0.0.1", 5555), "mqtt", 5,
                "tcp:default", null, null, Map.of());
        engine.onPublish(client, new Message("m1", tenant, topic,
                java.nio.ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)), 1, false, null, "dev-1", 1L));
    }

    @Test
    public void anActionNamedByIdReceivesEachOutputAndTheRuleCountsItQueued() throws Exception {
        engine.create(new RuleDefinition("r1", "acme", "SELECT payload.t AS t, clientid FROM \"s/#\"",
                List.of(new RuleAction("http:a1", Map.of())), true, "", 0));
        publish("acme", "s/1", "{\"t\": 21}");
        await("dispatched", () -> integrations.dispatched.size() == 1);
        RecordingIntegrations.Dispatch d = integrations.dispatched.get(0);
        assertEquals("acme", d.tenant());
        assertEquals("http:a1", d.actionId());
        assertEquals("r1", d.ruleId());
        assertEquals(Map.of("t", 21L, "clientid", "dev-1"), d.output());
        await("counted", () -> engine.metrics("acme", "r1").orElseThrow().actionsSuccess() == 1);
    }

    @Test
    public void aRefusedDispatchCountsTheActionFailedWithTheReason() throws Exception {
        integrations.refuse = "http:gone";
        engine.create(new RuleDefinition("r2", "acme", "SELECT * FROM \"s/#\"",
                List.of(new RuleAction("http:gone", Map.of())), true, "", 0));
        publish("acme", "s/1", "{}");
        await("failed", () -> engine.metrics("acme", "r2").orElseThrow().actionsFailed() == 1);
        RuleMetrics m = engine.metrics("acme", "r2").orElseThrow();
        assertTrue(m.lastError(), m.lastError().contains("action 'http:gone' does not exist"));
    }

    @Test
    public void anActionIdTakesNoArgsAndAnUnknownFunctionIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> engine.create(new RuleDefinition("r3", "acme",
                "SELECT * FROM \"s/#\"", List.of(new RuleAction("http:a1", Map.of("x", 1L))), true, "", 0)))
                .getMessage().contains("takes no args"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> engine.create(new RuleDefinition("r4", "acme",
                "SELECT * FROM \"s/#\"", List.of(new RuleAction("webhook", Map.of())), true, "", 0)))
                .getMessage().contains("an action id \"type:name\""));
    }

    @Test
    public void aSourcesMessageRunsTheRulesSelectingFromItsBridgeOnly() throws Exception {
        engine.create(new RuleDefinition("r5", "acme", "SELECT payload FROM \"$bridges/mqtt:s1\"",
                List.of(new RuleAction("republish", Map.of("topic", "local/in", "payload", "${payload}"))), true, "", 0));
        assertTrue(engine.ingest("acme", "mqtt:other", Map.of("topic", "remote/t", "payload", "nope")));
        assertTrue(engine.ingest("other", "mqtt:s1", Map.of("topic", "remote/t", "payload", "nope")));
        assertTrue(engine.ingest("acme", "mqtt:s1", Map.of("topic", "remote/t", "payload", "hello")));
        await("republished", () -> broker.published.size() == 1);
        Message m = broker.published.get(0).message();
        assertEquals("local/in", m.topic());
        assertEquals("hello", new String(m.payloadBytes(), StandardCharsets.UTF_8));
        assertEquals(1, engine.metrics("acme", "r5").orElseThrow().matched());
    }
}
