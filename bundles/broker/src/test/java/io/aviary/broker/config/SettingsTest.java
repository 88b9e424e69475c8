package io.aviary.broker.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Configuration parsing: EMQX key names and defaults, listeners from raw keys, JSON-valued rules. */
public class SettingsTest {

    @Test
    public void defaultsFollowEmqx() {
        BrokerSettings s = BrokerSettings.defaults();
        assertEquals(1048576, s.maxPacketSize);
        assertEquals(32, s.maxInflight);
        assertEquals(7200, s.v3SessionExpiry);
        assertEquals(SharedStrategy.ROUND_ROBIN, s.sharedStrategy);
        assertEquals(1.5, s.keepaliveMultiplier, 0.0);
        assertEquals(List.of(), s.rewriteRules);
    }

    @Test
    public void valuesArriveAsStringsOrNumbers() {
        BrokerSettings s = BrokerSettings.of(Map.of("max_inflight", "8", "shared_subscription_strategy", "hash_topic",
                "retain_available", "false", "session_expiry_interval", 60000L));
        assertEquals(8, s.maxInflight);
        assertEquals(SharedStrategy.HASH_TOPIC, s.sharedStrategy);
        assertFalse(s.retainAvailable);
        assertEquals(60, s.v3SessionExpiry);
    }

    @Test
    public void listenersComeFromTcpKeysWithADefault() {
        assertEquals(List.of(new ListenerSpec("tcp", "default", "0.0.0.0", 1883, true, 0)), ListenerSpec.parse(Map.of()));
        List<ListenerSpec> l = ListenerSpec.parse(Map.of("tcp.a.bind", "127.0.0.1:1884", "tcp.b.bind", "1885",
                "tcp.b.enable", false, "tcp.a.max_connections", 10L));
        assertEquals(List.of(new ListenerSpec("tcp", "a", "127.0.0.1", 1884, true, 10),
                new ListenerSpec("tcp", "b", "0.0.0.0", 1885, false, 0)), l);
    }

    @Test
    public void sslAndWebSocketListenersReadTheirNestedOptions() {
        List<ListenerSpec> l = ListenerSpec.parse(Map.ofEntries(
                Map.entry("ssl.x.bind", "8883"), Map.entry("ssl.x.ssl_options.certfile", "/c.pem"),
                Map.entry("ssl.x.ssl_options.keyfile", "/k.pem"), Map.entry("ssl.x.ssl_options.verify", "verify_peer"),
                Map.entry("ssl.x.ssl_options.versions", new String[] {"tlsv1.2"}),
                Map.entry("ssl.x.proxy_protocol", true), Map.entry("ssl.x.tenant", "acme"),
                Map.entry("ws.y.bind", "127.0.0.1:8083"), Map.entry("ws.y.websocket.mqtt_path", "/m"),
                Map.entry("ws.y.websocket.trusted_proxies", new String[] {"10.0.0.0/8"}),
                Map.entry("ws.y.max_conn_rate", 100L), Map.entry("ws.y.messages_rate", 10L)));
        ListenerSpec ssl = l.get(0);
        assertEquals("ssl:x", ssl.id());
        assertEquals("/c.pem", ssl.tls().certfile());
        assertEquals(List.of("tlsv1.2"), ssl.tls().versions());
        assertTrue(ssl.tls().verifyPeer() && ssl.proxyProtocol());
        assertEquals("acme", ssl.tenant());
        ListenerSpec ws = l.get(1);
        assertEquals("/m", ws.ws().mqttPath());
        assertEquals(List.of("10.0.0.0/8"), ws.ws().trustedProxies());
        assertEquals(100.0, ws.maxConnRate(), 0);
        assertEquals(10.0, ws.messagesRate(), 0);
    }

    @Test
    public void badVerifyValueIsRefusedNamingTheKey() {
        IllegalArgumentException e = org.junit.Assert.assertThrows(IllegalArgumentException.class,
                () -> ListenerSpec.parse(Map.of("ssl.x.ssl_options.verify", "sometimes")));
        assertTrue(e.getMessage(), e.getMessage().contains("ssl.x.ssl_options.verify"));
    }

    @Test
    public void rewriteRuleSubstitutesGroups() {
        BrokerSettings s = BrokerSettings.of(Map.of("rewrite",
                "[{\"action\":\"all\",\"source_topic\":\"a/#\",\"re\":\"^a/(\\\\w+)/(\\\\w+)$\",\"dest_topic\":\"b/$2/$1\"}]"));
        RewriteRule r = s.rewriteRules.get(0);
        assertEquals("b/y/x", r.rewrite("a/x/y"));
        assertNull(r.rewrite("c/x"));
    }

    @Test
    public void autoSubscribeTopicTakesPlaceholders() {
        BrokerSettings s = BrokerSettings.of(Map.of("auto_subscribe", "[{\"topic\":\"u/${username}/${clientid}\",\"qos\":2,\"nl\":1}]"));
        AutoSubscription a = s.autoSubscriptions.get(0);
        assertEquals("u/bob/c1", a.topicFor("c1", "bob"));
        assertEquals(2, a.qos());
        assertEquals(true, a.nl());
    }
}
