package io.aviary.rules.engine;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.events.DropReason;
import io.aviary.api.message.Message;
import io.aviary.api.message.MessageProperties;
import io.aviary.api.message.UserProperty;
import io.aviary.rules.RuleEvents;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The columns rules see carry EMQX's names and shapes, and only names the event catalogue lists. */
public class EventColumnsTest {

    private final EventColumns columns = new EventColumns("aviary@host");
    private final ClientInfo client = new ClientInfo("acme", "dev-1", "alice", new InetSocketAddress("10.1.2.3", 4567),
            "mqtt", 5, "tcp:default", null, null, Map.of("site", "plant-7"));

    private Message message() {
        MessageProperties props = new MessageProperties(1, 60L, "application/json", "reply/1", null,
                List.of(new UserProperty("k", "v")));
        return new Message("ID1", "acme", "t/1", ByteBuffer.wrap("{\"a\":1}".getBytes(StandardCharsets.UTF_8)), 1, true,
                props, "dev-1", 1234L);
    }

    @Test
    public void aPublishedMessageHasEmqxsColumns() {
        Map<String, Object> c = columns.publish(client, message());
        assertEquals("message.publish", c.get("event"));
        assertEquals("ID1", c.get("id"));
        assertEquals("dev-1", c.get("clientid"));
        assertEquals("alice", c.get("username"));
        assertEquals("10.1.2.3", c.get("peerhost"));
        assertEquals("10.1.2.3:4567", c.get("peername"));
        assertEquals("t/1", c.get("topic"));
        assertEquals(1L, c.get("qos"));
        assertEquals(Map.of("dup", false, "retain", true), c.get("flags"));
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), (byte[]) c.get("payload"));
        assertEquals(1234L, c.get("timestamp"));
        assertEquals(1234L, c.get("publish_received_at"));
        assertEquals("aviary@host", c.get("node"));
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) c.get("pub_props");
        assertEquals(Map.of("k", "v"), props.get("User-Property"));
        assertEquals(60L, props.get("Message-Expiry-Interval"));
        assertEquals("application/json", props.get("Content-Type"));
        assertEquals(Map.of("site", "plant-7"), c.get("client_attrs"));
        assertTrue(RuleEvents.get("message.publish").columns().keySet().containsAll(c.keySet()));
    }

    @Test
    public void everyEventUsesTheCatalogueNames() {
        Message m = message();
        check("client.connected", columns.connected(client, true, 60, 7200));
        check("client.disconnected", columns.disconnected(client, "normal"));
        check("client.connack", columns.connack(client, 0x86));
        check("session.subscribed", columns.subscribed(client, "t/#", SubscriptionOptions.qos(1)));
        check("session.unsubscribed", columns.unsubscribed(client, "t/#"));
        check("message.delivered", columns.delivered("message.delivered", client, m));
        check("message.acked", columns.delivered("message.acked", client, m));
        check("message.dropped", columns.dropped(m, DropReason.NO_SUBSCRIBERS));
        check("delivery.dropped", columns.deliveryDropped(client, m, DropReason.QOS0_OFFLINE));
        assertEquals("bad_username_or_password", columns.connack(client, 0x86).get("reason_code"));
        assertEquals("no_subscribers", columns.dropped(m, DropReason.NO_SUBSCRIBERS).get("reason"));
        assertEquals("dev-1", columns.delivered("message.delivered", client, m).get("from_clientid"));
    }

    private static void check(String event, Map<String, Object> c) {
        assertEquals(event, c.get("event"));
        List<String> unknown = c.keySet().stream()
                .filter(k -> !RuleEvents.get(event).columns().containsKey(k) && !k.equals("client_attrs")).toList();
        assertTrue(event + " has columns the catalogue does not list: " + unknown, unknown.isEmpty());
    }
}
