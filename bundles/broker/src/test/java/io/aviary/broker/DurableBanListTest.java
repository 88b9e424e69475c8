package io.aviary.broker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import io.aviary.api.broker.Ban;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.events.EventDispatcher;
import io.aviary.store.internal.RocksStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The ban list in durable mode on a real RocksDB store: bans survive a broker restart (expired
 * ones do not come back), and a ban belongs to one tenant: it never refuses the same client id
 * in another tenant (clients put in tenant "acme" by a listener bound to it).
 */
public class DurableBanListTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private RocksStore store;
    private MqttBroker broker;

    private void start() throws InterruptedException {
        Path dir = tmp.getRoot().toPath().resolve("store");
        store = RocksStore.open(dir, 1);
        broker = new MqttBroker(BrokerSettings.of(Map.of()), new EventDispatcher(), 2, store, BrokerCore.Durability.MEMORY)
                .start(List.of(new ListenerSpec("tcp", "test", "127.0.0.1", 0, true, 0),
                        new ListenerSpec("tcp", "acme", "127.0.0.1", 0, true, 0, 0, 0, 0, 0, false, "acme", null, null)));
    }

    private void restart() throws InterruptedException {
        broker.close();
        store.close();
        start();
    }

    @After
    public void tearDown() {
        if (broker != null) {
            broker.close();
            store.close();
        }
    }

    private Mqtt5BlockingClient client(String id, String listener) {
        InetSocketAddress a = broker.address(listener);
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(a.getPort()).buildBlocking();
    }

    private int refusal(String id, String listener) {
        return assertThrows(Mqtt5ConnAckException.class, () -> client(id, listener).connect())
                .getMqttMessage().getReasonCode().getCode();
    }

    @Test
    public void bannedClientIsStillRefusedWith0x8AAfterARestart() throws Exception {
        start();
        long now = System.currentTimeMillis();
        broker.bans().add(new Ban(Ban.As.CLIENTID, "bad", "admin", "test", now, now + 3_600_000));
        assertEquals(0x8A, refusal("bad", "tcp:test"));

        restart();

        assertEquals(0x8A, refusal("bad", "tcp:test"));
        Ban kept = broker.bans().list().get(0);
        assertEquals(new Ban("default", Ban.As.CLIENTID, "bad", "admin", "test", now, now + 3_600_000), kept);
    }

    @Test
    public void removedAndExpiredBansDoNotComeBackAfterARestart() throws Exception {
        start();
        long now = System.currentTimeMillis();
        broker.bans().add(new Ban(Ban.As.CLIENTID, "pardoned", "admin", "", now, now + 3_600_000));
        broker.bans().add(new Ban(Ban.As.CLIENTID, "brief", "admin", "", now, now + 300));
        assertTrue(broker.bans().remove(Ban.As.CLIENTID, "pardoned"));
        org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > now + 300);

        restart();

        assertEquals(List.of(), broker.bans().list());
        client("pardoned", "tcp:test").connect();
        client("brief", "tcp:test").connect();
    }

    @Test
    public void banInOneTenantDoesNotRefuseTheSameClientIdInAnother() throws Exception {
        start();
        long now = System.currentTimeMillis();
        broker.bans().add(new Ban("acme", Ban.As.CLIENTID, "dev-1", "admin", "", now, now + 3_600_000));

        assertEquals(0x8A, refusal("dev-1", "tcp:acme"));
        client("dev-1", "tcp:test").connect(); // tenant "default"
        assertEquals(1, broker.bans().list("acme").size());
        assertEquals(List.of(), broker.bans().list("default"));
        assertTrue(broker.bans().remove("acme", Ban.As.CLIENTID, "dev-1"));
        client("dev-1", "tcp:acme").connect();
    }
}
