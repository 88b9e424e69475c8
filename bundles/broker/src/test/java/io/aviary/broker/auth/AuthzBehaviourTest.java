package io.aviary.broker.auth;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.AuthzCacheEntry;
import io.aviary.api.auth.AuthzSettings;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.tenant.Tenant;
import io.aviary.broker.AuthzControlService;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.tenant.TenantRegistry;
import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import io.aviary.mqtt.codec.Will;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Rule;
import org.junit.Test;

/**
 * The authorization behaviour settings (EMQX's authorization.no_match, deny_action, cache) and
 * Will authorization, against the broker with raw MQTT clients and an in-test authorizer.
 */
public class AuthzBehaviourTest {

    @Rule
    public final TestBroker broker = new TestBroker();

    private final AtomicInteger calls = new AtomicInteger();
    /** Topics the in-test authorizer denies; everything else it allows. */
    private final Set<String> denied = ConcurrentHashMap.newKeySet();

    private void countingAuthorizer() {
        Authorizer a = (client, action, topic, qos, retain) -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(denied.contains(topic) ? Decision.DENY : Decision.ALLOW);
        };
        broker.core().auth().authorizers().add(a, Map.of("tenant", "default"));
    }

    private AuthzControlService control() {
        return new AuthzControlService(broker.core());
    }

    private void settings(Decision noMatch, AuthzSettings.DenyAction deny, boolean cache, int maxSize, long ttlMs) {
        control().update("default", new AuthzSettings(noMatch, deny, cache, maxSize, ttlMs)).orElseThrow();
    }

    /**
     * The client's cache listing. Clearing is handed to the connection's event loop, like the
     * listing, so once the listing answers an earlier clear has run: a PUBLISH sent before that
     * may still meet the old answers.
     */
    private List<AuthzCacheEntry> cacheOf(String clientId) throws Exception {
        return control().cache("default", clientId).toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
    }

    private static int publishCode(RawClient c, String topic, int id) throws InterruptedException {
        c.send(publish(topic, 1, id, "x"));
        return c.expect(AckPacket.class).reasonCode();
    }

    @Test
    public void noMatchDenyRefusesPublishAndSubscribeThatNoSourceDecides() throws Exception {
        settings(Decision.DENY, AuthzSettings.DenyAction.IGNORE, true, 32, 60_000);
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "nm", true)) {
            assertEquals("no authorizer at all: no_match decides", ReasonCode.NOT_AUTHORIZED, publishCode(c, "a/b", 1));
            c.send(subscribe(2, "a/#", 1));
            assertEquals(List.of(ReasonCode.NOT_AUTHORIZED), c.expect(SubAckPacket.class).reasonCodes());
        }
    }

    @Test
    public void noMatchAllowIsTheNodeDefaultAndAllowsWhatEverySourceIgnores() throws Exception {
        assertEquals(AuthzSettings.DEFAULTS, control().settings("default").orElseThrow());
        broker.core().auth().authorizers().add((client, action, topic, qos, retain) ->
                CompletableFuture.completedFuture(Decision.IGNORE), Map.of("tenant", "default"));
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "nm-allow", true)) {
            assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, publishCode(c, "a/b", 1));
        }
    }

    @Test
    public void theNodesNoMatchDenyFromTheConfigurationApplies() throws Exception {
        broker.restart("authorization.no_match", "deny");
        assertEquals(Decision.DENY, control().settings("default").orElseThrow().noMatch());
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "nm-node", true)) {
            assertEquals(ReasonCode.NOT_AUTHORIZED, publishCode(c, "a/b", 1));
        }
    }

    @Test
    public void denyActionDisconnectEndsAnMqtt5PublisherWithDisconnect0x87() throws Exception {
        countingAuthorizer();
        denied.add("secret");
        settings(Decision.ALLOW, AuthzSettings.DenyAction.DISCONNECT, true, 32, 60_000);
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "dd5", true)) {
            c.send(publish("secret", 1, 1, "x"));
            assertEquals(ReasonCode.NOT_AUTHORIZED, c.expect(DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
    }

    @Test
    public void denyActionDisconnectEndsASubscriberAndClosesAnMqtt311Client() throws Exception {
        countingAuthorizer();
        denied.add("secret/#");
        denied.add("secret");
        settings(Decision.ALLOW, AuthzSettings.DenyAction.DISCONNECT, true, 32, 60_000);
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "dd5s", true)) {
            c.send(subscribe(1, "secret/#", 1));
            assertEquals("no SUBACK: the DISCONNECT", ReasonCode.NOT_AUTHORIZED,
                    c.expect(DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "dd3", true)) {
            c.send(publish("secret", 1, 1, "x"));
            assertTrue("MQTT 3.1.1: closed without an ack", c.awaitClosed(5000));
            assertEquals(null, c.poll(0));
        }
    }

    @Test
    public void cachedAnswersAreUsedForTheTtlThenTheSourceIsAskedAgain() throws Exception {
        countingAuthorizer();
        settings(Decision.ALLOW, AuthzSettings.DenyAction.IGNORE, true, 32, 300);
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "ttl", true)) {
            publishCode(c, "t/1", 1);
            publishCode(c, "t/1", 2);
            assertEquals("the second within the TTL is answered from the cache", 1, calls.get());
            denied.add("t/1");
            AtomicInteger id = new AtomicInteger(10);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> publishCode(c, "t/1", id.incrementAndGet()) == ReasonCode.NOT_AUTHORIZED);
            assertTrue(calls.get() >= 2);
        }
    }

    @Test
    public void theCacheKeepsAtMostMaxSizeAnswersAndCanBeDisabled() throws Exception {
        countingAuthorizer();
        settings(Decision.ALLOW, AuthzSettings.DenyAction.IGNORE, true, 2, 60_000);
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "max", true)) {
            publishCode(c, "m/1", 1);
            publishCode(c, "m/2", 2);
            publishCode(c, "m/3", 3); // evicts m/1, the oldest
            publishCode(c, "m/3", 4);
            assertEquals(3, calls.get());
            publishCode(c, "m/1", 5);
            assertEquals("m/1 was evicted", 4, calls.get());
            settings(Decision.ALLOW, AuthzSettings.DenyAction.IGNORE, false, 2, 60_000);
            publishCode(c, "m/1", 6);
            publishCode(c, "m/1", 7);
            assertEquals("a disabled cache asks every time", 6, calls.get());
        }
    }

    @Test
    public void clearingTheCacheMakesAChangedRuleApplyAtOnceAndTheListingShowsTheAnswers() throws Exception {
        countingAuthorizer();
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "clear", true)) {
            publishCode(c, "c/1", 1);
            c.send(subscribe(2, "s/#", 1));
            c.expect(SubAckPacket.class);
            List<AuthzCacheEntry> entries = control().cache("default", "clear").toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).orElseThrow();
            assertEquals(2, entries.size());
            assertEquals(Action.PUBLISH, entries.get(0).action());
            assertEquals("c/1", entries.get(0).topic());
            assertEquals(Decision.ALLOW, entries.get(0).result());
            assertEquals(Action.SUBSCRIBE, entries.get(1).action());
            assertTrue(entries.get(0).updatedAt() > 0);

            denied.add("c/1");
            assertEquals("cached for a minute", 0x10, publishCode(c, "c/1", 3));
            assertTrue(control().clearCache("default", "clear"));
            assertEquals("cleared (the listing runs on the event loop after the clear)", List.of(), cacheOf("clear"));
            assertEquals(ReasonCode.NOT_AUTHORIZED, publishCode(c, "c/1", 4));
            denied.clear();
            assertEquals(1, control().clearCache("default"));
            assertEquals(List.of(), cacheOf("clear"));
            assertEquals(0x10, publishCode(c, "c/1", 5));
            assertFalse(control().clearCache("default", "nobody"));
            assertTrue(control().cache("default", "nobody").toCompletableFuture().get(5, TimeUnit.SECONDS).isEmpty());
        }
    }

    @Test
    public void aWillTheSourcesDenyWhenItIsDueIsNotDelivered() throws Exception {
        countingAuthorizer();
        try (RawClient watcher = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "watcher", true)) {
            watcher.send(subscribe(1, "will/#", 1));
            watcher.expect(SubAckPacket.class);
            Will will = new Will("will/denied", "gone".getBytes(StandardCharsets.UTF_8), 1, false, MqttProperties.EMPTY);
            RawClient dies = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "dies", true, 60,
                    MqttProperties.EMPTY, will);
            denied.add("will/denied"); // changed after CONNECT: the Will is checked when it is due
            dies.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> broker.core().counters().get("messages.will.denied") == 1);
            try (RawClient marker = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "marker", true)) {
                publishCode(marker, "will/marker", 1);
            }
            assertEquals("the denied Will never arrived", "will/marker", watcher.expect(PublishPacket.class).topic());

            RawClient allowed = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "dies2", true, 60,
                    MqttProperties.EMPTY, new Will("will/ok", new byte[0], 1, false, MqttProperties.EMPTY));
            allowed.close();
            assertEquals("will/ok", watcher.expect(PublishPacket.class).topic());
        }
    }

    @Test
    public void aTenantsSettingsArePersistedWithItAndOverrideTheNodes() throws Exception {
        Path dir = Files.createTempDirectory("authz-settings");
        TenantRegistry first = new TenantRegistry(dir.resolve("tenants.json"), System::currentTimeMillis);
        first.create(new Tenant("acme", "Acme", io.aviary.api.tenant.TenantState.ACTIVE, List.of(), Map.of(), 0, 0));
        AuthzSettings mine = new AuthzSettings(Decision.DENY, AuthzSettings.DenyAction.DISCONNECT, false, 7, 1500);
        first.updateAuthz("acme", mine).orElseThrow();
        TenantRegistry second = new TenantRegistry(dir.resolve("tenants.json"), System::currentTimeMillis);
        second.nodeSettings(BrokerSettings.of(Map.of("authorization.cache.max_size", 99)));
        assertEquals(mine, second.authz("acme"));
        assertEquals("another tenant has the node's", 99, second.authz("default").cacheMaxSize());
        second.update(new Tenant("acme", "Acme", io.aviary.api.tenant.TenantState.ACTIVE, List.of(),
                Map.of("max_connections", 5L), 0, 0));
        assertEquals("replacing the tenant's quotas keeps its authorization settings", mine, second.authz("acme"));
    }
}
