package io.aviary.integration;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.ConnectorType;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Integrations;
import io.aviary.api.integration.Integrations.Kind;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import io.aviary.store.internal.RocksStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The Integrations service over a test connector type (a "system" that is up or down as the test
 * says): connectors and actions stored and restored with their buffered records across a restart
 * of the runtime, the 400s naming fields, a connector in use, dispatch to missing or disabled
 * actions, and a tenant's deletion.
 */
public class IntegrationRuntimeTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** The external system: what it received, and whether it is up. */
    static final class TestSystem {
        final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
        volatile boolean up = true;
        final List<io.aviary.api.integration.SourceContext> sources = new CopyOnWriteArrayList<>();
    }

    /** Connector type "test" writing into a TestSystem. */
    static final class TestType implements ConnectorType {
        final TestSystem system;

        TestType(TestSystem system) {
            this.system = system;
        }

        @Override public String type() { return "test"; }
        @Override public String connectorSchema() { return "{}"; }
        @Override public String actionSchema() { return "{}"; }
        @Override public String sourceSchema() { return "{}"; }

        @Override
        public Connector open(ConnectorContext context, Map<String, Object> config) {
            if (config.get("host") == null) {
                throw new IllegalArgumentException("field 'host' is required");
            }
            return new Connector() {
                @Override
                public CompletionStage<Health> check() {
                    return CompletableFuture.completedFuture(system.up ? Health.connected()
                            : Health.disconnected("Connection refused"));
                }

                @Override
                public Sink sink(String actionId, Map<String, Object> parameters) {
                    if ("bad".equals(parameters.get("table"))) {
                        throw new IllegalArgumentException("field 'parameters.table': no such table");
                    }
                    return records -> {
                        if (!system.up) {
                            return CompletableFuture.failedFuture(SinkException.retryable("Connection refused", null));
                        }
                        system.received.addAll(records);
                        return CompletableFuture.completedFuture(null);
                    };
                }

                @Override
                public io.aviary.api.integration.Source source(String sourceId, Map<String, Object> parameters,
                        io.aviary.api.integration.SourceContext context) {
                    system.sources.add(context);
                    return new io.aviary.api.integration.Source() {
                        @Override public Health health() { return Health.connected(); }
                        @Override public void close() { system.sources.remove(context); }
                    };
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private final TestSystem system = new TestSystem();
    private RocksStore store;
    private ScheduledExecutorService exec;
    private IntegrationRuntime runtime;

    @Before
    public void open() {
        store = RocksStore.open(tmp.getRoot().toPath().resolve("store"), 5);
        exec = Executors.newScheduledThreadPool(2);
        runtime = start();
    }

    private IntegrationRuntime start() {
        Path file = tmp.getRoot().toPath().resolve("integrations.json");
        IntegrationRuntime r = new IntegrationRuntime(new IntegrationFile(file), store, exec,
                new IntegrationRuntime.Outside(() -> null, () -> null, () -> null, () -> null, () -> null, () -> null),
                1000);
        r.load();
        r.typeAdded(new TestType(system), "acme");
        return r;
    }

    @After
    public void close() {
        runtime.stop();
        exec.shutdownNow();
        store.close();
    }

    private void pipeline() {
        runtime.create("acme", Kind.CONNECTOR, Map.of("type", "test", "name", "c1", "host", "h",
                "resource_opts", Map.of("health_check_interval", "200ms")));
        runtime.create("acme", Kind.ACTION, Map.of("type", "test", "name", "a1", "connector", "c1",
                "parameters", Map.of("table", "t"), "resource_opts", Map.of("request_ttl", "infinity")));
    }

    private long metric(String id, String name) {
        return ((Number) runtime.metrics("acme", Kind.ACTION, id).orElseThrow().get(name)).longValue();
    }

    @Test
    public void aDispatchedOutputReachesTheSystemAndTheConnectorShowsConnected() {
        pipeline();
        runtime.dispatch("acme", "test:a1", "r1", Map.of("n", 1L));
        await().atMost(Duration.ofSeconds(5)).until(() -> system.received.size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "connected".equals(runtime.get("acme", Kind.CONNECTOR, "test:c1").orElseThrow().get("status")));
        assertEquals(List.of("test:a1"), runtime.get("acme", Kind.CONNECTOR, "test:c1").orElseThrow().get("actions"));
        assertEquals(1, metric("test:a1", "success"));
    }

    @Test
    public void connectorsActionsAndBufferedRecordsSurviveARestartOfTheRuntime() {
        pipeline();
        system.up = false;
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "disconnected".equals(runtime.get("acme", Kind.CONNECTOR, "test:c1").orElseThrow().get("status")));
        for (long i = 0; i < 10; i++) {
            runtime.dispatch("acme", "test:a1", "r1", Map.of("n", i));
        }
        runtime.stop();
        java.util.concurrent.CountDownLatch synced = new java.util.concurrent.CountDownLatch(1);
        store.whenDurable(store.put("zz".getBytes(), new byte[0]), synced::countDown);
        await().atMost(Duration.ofSeconds(5)).until(() -> synced.getCount() == 0);

        system.up = true;
        runtime = start();
        assertEquals("the action is back", 1, runtime.list("acme", Kind.ACTION).size());
        await().atMost(Duration.ofSeconds(10)).until(() -> system.received.size() == 10);
        assertEquals(0, metric("test:a1", "queuing"));
    }

    @Test
    public void badConfigurationsAnswerNamingTheField() {
        assertEquals("field 'name' is required", assertThrows(IllegalArgumentException.class, () ->
                runtime.create("acme", Kind.CONNECTOR, Map.of("type", "test"))).getMessage());
        assertEquals("field 'host' is required", assertThrows(IllegalArgumentException.class, () ->
                runtime.create("acme", Kind.CONNECTOR, Map.of("type", "test", "name", "c0"))).getMessage());
        assertTrue("a refused connector is not kept", runtime.get("acme", Kind.CONNECTOR, "test:c0").isEmpty());
        pipeline();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> runtime.create("acme", Kind.ACTION,
                Map.of("type", "test", "name", "a2", "connector", "c1", "parameters", Map.of("table", "bad"))))
                .getMessage().contains("parameters.table"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> runtime.create("acme", Kind.ACTION,
                Map.of("type", "test", "name", "a3", "connector", "nope"))).getMessage().contains("'connector'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> runtime.create("acme", Kind.ACTION,
                Map.of("type", "test", "name", "a4", "connector", "c1", "colour", "red"))).getMessage()
                .contains("'colour'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> runtime.create("acme", Kind.ACTION,
                Map.of("type", "test", "name", "a5", "connector", "c1", "resource_opts", Map.of("batch_time", "soon"))))
                .getMessage().contains("resource_opts.batch_time"));
        assertTrue(assertThrows(IllegalStateException.class, () -> runtime.create("acme", Kind.CONNECTOR,
                Map.of("type", "test", "name", "c1", "host", "h"))).getMessage().endsWith("already exists"));
        Integrations.InUseException inUse = assertThrows(Integrations.InUseException.class,
                () -> runtime.delete("acme", Kind.CONNECTOR, "test:c1"));
        assertEquals(List.of("test:a1"), inUse.users());
    }

    @Test
    public void dispatchToAMissingOrDisabledActionFailsWithTheReason() {
        pipeline();
        assertTrue(assertThrows(IllegalStateException.class, () -> runtime.dispatch("acme", "test:zz", "r", Map.of()))
                .getMessage().contains("does not exist"));
        assertTrue(assertThrows(IllegalStateException.class, () -> runtime.dispatch("other", "test:a1", "r", Map.of()))
                .getMessage().contains("does not exist"));
        assertTrue(runtime.enable("acme", Kind.ACTION, "test:a1", false));
        assertTrue(assertThrows(IllegalStateException.class, () -> runtime.dispatch("acme", "test:a1", "r", Map.of()))
                .getMessage().contains("disabled"));
        assertEquals(1, metric("test:a1", "dropped.resource_stopped"));
        assertEquals("stopped", runtime.get("acme", Kind.ACTION, "test:a1").orElseThrow().get("status"));
    }

    @Test
    public void deletingATenantRemovesItsResourcesAndLeavesOthersAlone() {
        pipeline();
        runtime.typeAdded(new TestType(system), "other");
        runtime.create("other", Kind.CONNECTOR, Map.of("type", "test", "name", "c1", "host", "h"));
        assertEquals(2, runtime.deleteAll("acme"));
        assertTrue(runtime.list("acme", Kind.CONNECTOR).isEmpty());
        assertFalse(runtime.list("other", Kind.CONNECTOR).isEmpty());
        assertThrows(IllegalStateException.class, () -> runtime.dispatch("acme", "test:a1", "r", Map.of()));
    }

    @Test
    public void theProbeReportsTheSystemsOwnError() {
        system.up = false;
        Health h = runtime.probe("acme", Kind.CONNECTOR, Map.of("type", "test", "host", "h"));
        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertEquals("Connection refused", h.error());
        assertTrue(runtime.list("acme", Kind.CONNECTOR).isEmpty());
    }

    @Test
    public void aSourceStartsWithItsConnectorAndCountsWhatItDelivers() throws Exception {
        pipeline();
        runtime.create("acme", Kind.SOURCE, Map.of("type", "test", "name", "s1", "connector", "c1"));
        assertEquals(1, system.sources.size());
        io.aviary.api.integration.SourceContext ctx = system.sources.get(0);
        assertEquals("test:s1", ctx.sourceId());
        assertEquals("acme", ctx.tenant());
        ctx.deliver(Map.of("topic", "remote/t", "payload", "hi"), null).toCompletableFuture().get(5,
                java.util.concurrent.TimeUnit.SECONDS);
        assertTrue("a local message with no broker running is refused, so the source does not commit it",
                ctx.deliver(Map.of(), io.aviary.api.message.Message.of("x", "local/t", new byte[0], 0, false))
                        .toCompletableFuture().isCompletedExceptionally());
        Map<String, Object> m = runtime.metrics("acme", Kind.SOURCE, "test:s1").orElseThrow();
        assertEquals(2L, m.get("received"));
        assertEquals(1L, m.get("failed"));
        assertTrue(runtime.enable("acme", Kind.SOURCE, "test:s1", false));
        assertTrue("a disabled source is stopped", system.sources.isEmpty());
    }
}
