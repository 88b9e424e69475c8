package io.aviary.rules.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.api.client.ClientInfo;
import io.aviary.api.message.Message;
import io.aviary.api.rules.RuleAction;
import io.aviary.api.rules.RuleDefinition;
import io.aviary.api.rules.RuleMetrics;
import io.aviary.api.rules.RuleSqlError;
import io.aviary.api.rules.RuleTestResult;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The rule runtime without OSGi: per-tenant indexing, lanes, loop limit, metrics, persistence. */
public class RuleEngineTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final RecordingBroker broker = new RecordingBroker();
    private final List<Boolean> listening = new ArrayList<>();
    private final List<RuleEngine> engines = new ArrayList<>();

    @After
    public void stop() {
        engines.forEach(RuleEngine::stop);
    }

    private RuleEngine engine(Path file, int lanes, int queue) {
        RuleEngine e = new RuleEngine(new RuleStore(file), "node@test", new RuleWorkers(lanes, queue), () -> broker,
                listening::add);
        e.load();
        engines.add(e);
        return e;
    }

    private RuleEngine engine() throws Exception {
        return engine(tmp.getRoot().toPath().resolve("rules.json"), 2, 100);
    }

    private static RuleDefinition rule(String tenant, String id, String sql, RuleAction... actions) {
        return new RuleDefinition(id, tenant, sql, List.of(actions), true, "", 0);
    }

    private static RuleAction republish(String topic, String payload) {
        return new RuleAction("republish", Map.of("topic", topic, "payload", payload));
    }

    private static ClientInfo client(String tenant, String id) {
        return new ClientInfo(tenant, id, "u", new InetSocketAddress("127.0.0.1", 5555), "mqtt", 5, "tcp:default", null,
                null, Map.of());
    }

    private static Message message(String tenant, String topic, String payload) {
        return new Message("m1", tenant, topic, java.nio.ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)), 1,
                false, null, "c1", 1L);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static String payload(Message m) {
        return new String(m.payloadBytes(), StandardCharsets.UTF_8);
    }

    @Test
    public void aRuleRunsOnlyOnItsOwnTenantsMessagesAndRepublishesIntoThatTenant() throws Exception {
        RuleEngine e = engine();
        e.create(rule("acme", "r1", "SELECT payload.v AS v FROM \"t/#\"", republish("out/${v}", "${v}")));
        e.onPublish(client("default", "c1"), message("default", "t/1", "{\"v\": 1}"));
        e.onPublish(client("acme", "c1"), message("acme", "t/1", "{\"v\": 2}"));
        await("one republish", () -> broker.published.size() == 1 && e.metrics("acme", "r1").get().actionsSuccess() == 1);
        Message out = broker.published.get(0).message();
        assertEquals("acme", out.tenant());
        assertEquals("out/2", out.topic());
        assertEquals("2", payload(out));
        assertEquals(1, e.metrics("acme", "r1").get().matched());
        assertTrue(e.get("default", "r1").isEmpty());
    }

    @Test
    public void actionsRunOnARuleLaneNeverOnThePublishersThread() throws Exception {
        RuleEngine e = engine();
        e.create(rule("default", "r1", "SELECT * FROM \"t/#\"", republish("out", "${payload}")));
        e.onPublish(client("default", "c1"), message("default", "t/1", "x"));
        await("republish", () -> broker.published.size() == 1);
        assertTrue(broker.published.get(0).thread(), broker.published.get(0).thread().startsWith("aviary-rules-"));
    }

    @Test
    public void aFullLaneCountsTheRuleFailedAsOverloadedAndNeverBlocksThePublisher() throws Exception {
        RuleEngine e = engine(null, 1, 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        broker.onPublish = m -> {
            stuck.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        };
        e.create(rule("default", "r1", "SELECT * FROM \"t/#\"", republish("out", "${payload}")));
        e.onPublish(client("default", "c1"), message("default", "t/1", "1")); // runs, blocks in publish
        assertTrue(stuck.await(10, TimeUnit.SECONDS));
        e.onPublish(client("default", "c1"), message("default", "t/1", "2")); // queued
        long before = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            e.onPublish(client("default", "c1"), message("default", "t/1", "3")); // refused
        }
        assertTrue("the publisher did not wait", System.nanoTime() - before < TimeUnit.SECONDS.toNanos(1));
        RuleMetrics m = e.metrics("default", "r1").get();
        assertEquals(5, m.failedOverloaded());
        assertEquals("overloaded", m.lastError());
        release.countDown();
        await("the queued one ran", () -> e.metrics("default", "r1").get().actionsSuccess() == 2);
        assertEquals(7, e.metrics("default", "r1").get().matched());
    }

    @Test
    public void aRuleRepublishingOntoItsOwnFromStopsAfterThreeHops() throws Exception {
        RuleEngine e = engine();
        broker.onPublish = m -> e.onPublish(null, m); // as the broker emits messagePublish for platform messages
        e.create(rule("default", "loop", "SELECT * FROM \"loop/#\"", republish("loop/${topic}", "${payload}")));
        e.onPublish(client("default", "c1"), message("default", "loop/a", "x"));
        await("the loop stopped", () -> e.metrics("default", "loop").get().failedLoop() == 1);
        RuleMetrics m = e.metrics("default", "loop").get();
        assertEquals(3, broker.published.size());
        assertEquals("loop/loop/loop/loop/a", broker.published.get(2).message().topic());
        assertEquals(4, m.matched());
        assertEquals(3, m.passed());
        assertTrue(m.lastError(), m.lastError().startsWith("loop"));
    }

    @Test
    public void metricsSplitFailuresAndCountEachActionAndReset() throws Exception {
        RuleEngine e = engine();
        e.create(rule("default", "r1", "SELECT payload.v AS v FROM \"t/#\" WHERE v > 1", republish("out/${v}", "${v}"),
                new RuleAction("republish", Map.of("topic", "bad/#"))));
        broker.onPublish = m -> {
            if (m.topic().contains("#")) {
                throw new IllegalArgumentException("invalid topic name: " + m.topic());
            }
        };
        e.onPublish(client("default", "c1"), message("default", "t/1", "{\"v\": 1}"));
        e.onPublish(client("default", "c1"), message("default", "t/1", "not json"));
        e.onPublish(client("default", "c1"), message("default", "t/1", "{\"v\": 5}"));
        await("three runs", () -> e.metrics("default", "r1").get().actionsTotal() == 2);
        RuleMetrics m = e.metrics("default", "r1").get();
        assertEquals(3, m.matched());
        assertEquals(1, m.passed());
        assertEquals(1, m.failedNoResult());
        assertEquals(1, m.failedException());
        assertEquals(2, m.failed());
        assertEquals(1, m.actionsSuccess());
        assertEquals(1, m.actionsFailed());
        assertEquals(1, m.actions().get(0).success());
        assertEquals(1, m.actions().get(1).failed());
        assertTrue(m.actions().get(1).lastError(), m.actions().get(1).lastError().contains("invalid topic name"));
        assertTrue(e.resetMetrics("default", "r1"));
        assertEquals(0, e.metrics("default", "r1").get().matched());
        assertFalse(e.resetMetrics("default", "nope"));
    }

    @Test
    public void theBrokerListenerIsWantedOnlyWhileSomeRuleIsEnabled() throws Exception {
        RuleEngine e = engine();
        assertEquals(List.of(false), listening);
        e.create(new RuleDefinition("r1", "default", "SELECT * FROM \"t/#\"", List.of(), false, "", 0));
        assertEquals(false, listening.get(listening.size() - 1));
        e.update(new RuleDefinition("r1", "default", "SELECT * FROM \"t/#\"", List.of(), true, "", 0));
        assertEquals(true, listening.get(listening.size() - 1));
        e.delete("default", "r1");
        assertEquals(false, listening.get(listening.size() - 1));
    }

    @Test
    public void rulesSurviveANewEngineOnTheSameFile() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("rules.json");
        RuleEngine first = engine(file, 1, 10);
        first.create(rule("acme", "r1", "SELECT * FROM \"t/#\"", republish("out", "${payload}")));
        first.create(rule("default", "r2", "SELECT * FROM \"$events/client_connected\""));
        first.update(new RuleDefinition("r2", "default", "SELECT clientid FROM \"$events/client_connected\"", List.of(),
                false, "changed", 0));
        first.create(rule("default", "gone", "SELECT * FROM \"x\""));
        first.delete("default", "gone");
        RuleEngine second = engine(file, 1, 10);
        assertEquals(List.of("r1"), second.list("acme").stream().map(RuleDefinition::id).toList());
        RuleDefinition r2 = second.get("default", "r2").get();
        assertEquals(List.of("$events/client_connected"), r2.from());
        assertEquals("changed", r2.description());
        assertFalse(r2.enable());
        assertEquals("out", second.get("acme", "r1").get().actions().get(0).args().get("topic"));
        assertEquals(first.get("acme", "r1").get().createdAt(), second.get("acme", "r1").get().createdAt());
    }

    @Test
    public void anUnreadableFileStopsTheLoadAndIsLeftAsItWas() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("rules.json");
        Files.writeString(file, "{\"rules\": [ broken");
        RuleEngine e = new RuleEngine(new RuleStore(file), "n", new RuleWorkers(1, 1), () -> broker, listening::add);
        engines.add(e);
        IllegalStateException failure = assertThrows(IllegalStateException.class, e::load);
        assertTrue(failure.getMessage(), failure.getMessage().contains("cannot read the rules from " + file));
        assertEquals("{\"rules\": [ broken", Files.readString(file));
    }

    @Test
    public void badSqlAndBadActionsAreRefusedNamingTheField() throws Exception {
        RuleEngine e = engine();
        RuleSqlError sql = assertThrows(RuleSqlError.class, () -> e.create(rule("default", "r", "SELECT a, b c d FROM \"t\"")));
        assertEquals(1, sql.line());
        assertEquals(15, sql.column());
        IllegalArgumentException fn = assertThrows(IllegalArgumentException.class,
                () -> e.create(rule("default", "r", "SELECT * FROM \"t\"", new RuleAction("nope", Map.of()))));
        assertTrue(fn.getMessage(), fn.getMessage().contains("'actions[0].function'"));
        IllegalArgumentException prop = assertThrows(IllegalArgumentException.class, () -> e.create(rule("default", "r",
                "SELECT * FROM \"t\"", new RuleAction("republish", Map.of("topic", "x", "mqtt_properties", Map.of("X", "1"))))));
        assertTrue(prop.getMessage(), prop.getMessage().contains("'actions[0].args.mqtt_properties.X'"));
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> e.create(rule("default", "a/b", "SELECT * FROM \"t\"")));
        assertTrue(id.getMessage(), id.getMessage().contains("'id'"));
        e.create(rule("default", "r", "SELECT * FROM \"t\""));
        assertThrows(IllegalStateException.class, () -> e.create(rule("default", "r", "SELECT * FROM \"t\"")));
        assertTrue("nothing half-created", e.list("default").size() == 1);
    }

    @Test
    public void testingAStoredRuleRendersItsActionsWithoutRunningThem() throws Exception {
        RuleEngine e = engine();
        e.create(rule("default", "r", "SELECT payload.v AS v FROM \"t/#\"",
                new RuleAction("republish", Map.of("topic", "o/${v}", "qos", "${v}", "retain", true, "payload", ""))));
        RuleTestResult r = e.test("default", "r", Map.of("topic", "t/1", "payload", "{\"v\": 1}")).get();
        assertEquals(RuleTestResult.Status.PASSED, r.status());
        Map<String, Object> args = r.rendered().get(0).get(0).args();
        assertEquals("o/1", args.get("topic"));
        assertEquals(1L, args.get("qos"));
        assertEquals(true, args.get("retain"));
        assertEquals("an empty payload template is the whole output", "{\"v\":1}", args.get("payload"));
        assertTrue(broker.published.isEmpty());
        assertEquals(0, e.metrics("default", "r").get().matched());
        assertEquals(RuleTestResult.Status.NO_MATCH, e.test("default", "r", Map.of("topic", "x")).get().status());
        assertTrue(e.test("default", "missing", Map.of()).isEmpty());
    }

    @Test
    public void deletingATenantsRulesKeepsTheOtherTenantsAndTheFile() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("rules.json");
        RuleEngine e = engine(file, 1, 10);
        e.create(rule("acme", "a1", "SELECT * FROM \"t/#\""));
        e.create(rule("acme", "a2", "SELECT * FROM \"u/#\""));
        e.create(rule("globex", "g1", "SELECT * FROM \"t/#\""));
        assertEquals(2, e.deleteAll("acme"));
        assertTrue(e.list("acme").isEmpty());
        assertEquals(0, e.deleteAll("acme"));
        e.onPublish(client("acme", "c1"), message("acme", "t/1", "x"));
        assertEquals(List.of("g1"), engine(file, 1, 10).list("globex").stream().map(RuleDefinition::id).toList());
        assertTrue(engine(file, 1, 10).list("acme").isEmpty());
    }

    @Test
    public void queuedPayloadsAreBoundedInBytesAndLargeMessagesBeyondAreRefusedUncopied() throws Exception {
        RuleEngine e = new RuleEngine(new RuleStore(null), "n", new RuleWorkers(1, 1000), () -> broker, listening::add,
                10_000);
        e.load();
        engines.add(e);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        broker.onPublish = m -> {
            stuck.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        };
        e.create(rule("default", "r1", "SELECT * FROM \"t/#\"", republish("out", "${payload}")));
        String big = "x".repeat(6000);
        e.onPublish(client("default", "c1"), message("default", "t/1", big)); // held by the stuck lane
        assertTrue(stuck.await(10, TimeUnit.SECONDS));
        e.onPublish(client("default", "c1"), message("default", "t/1", big)); // over 10,000 bytes: refused
        e.onPublish(client("default", "c1"), message("default", "t/1", "small")); // fits
        assertEquals(1, e.metrics("default", "r1").get().failedOverloaded());
        release.countDown();
        await("the small one ran", () -> e.metrics("default", "r1").get().actionsSuccess() == 2);
        e.onPublish(client("default", "c1"), message("default", "t/1", big)); // room again once the work is done
        await("the big one ran", () -> e.metrics("default", "r1").get().actionsSuccess() == 3);
    }
}
