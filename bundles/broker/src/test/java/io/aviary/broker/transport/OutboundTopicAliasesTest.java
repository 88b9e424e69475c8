package io.aviary.broker.transport;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** The per-connection alias table: aliases 1..maximum, least recently used topic rebound first. */
public class OutboundTopicAliasesTest {

    /** What the broker does per PUBLISH: the alias used, negative when it is bound by this packet. */
    private static int send(OutboundTopicAliases a, String topic) {
        int alias = a.aliasOf(topic);
        if (alias != 0) {
            return alias;
        }
        alias = a.nextToBind();
        a.bind(topic, alias);
        return -alias;
    }

    @Test
    public void MQTT_3_1_2_26_aliasesStayWithinTheMaximumAndTheLeastRecentlyUsedIsRebound() {
        OutboundTopicAliases a = new OutboundTopicAliases(2);
        assertEquals(-1, send(a, "a"));
        assertEquals(-2, send(a, "b"));
        assertEquals(1, send(a, "a")); // a is now the most recently used
        assertEquals("b was least recently used", -2, send(a, "c"));
        assertEquals(0, a.aliasOf("b"));
        assertEquals(-1, send(a, "b"));
        assertEquals(2, send(a, "c"));
        assertEquals(0, a.aliasOf("a"));
    }

    @Test
    public void aliasIsNotBoundUntilTheCallerSaysSo() {
        OutboundTopicAliases a = new OutboundTopicAliases(3);
        assertEquals(1, a.nextToBind());
        assertEquals("asking twice gives the same answer", 1, a.nextToBind());
        assertEquals(0, a.aliasOf("t"));
        a.bind("t", 1);
        assertEquals(1, a.aliasOf("t"));
        assertEquals(2, a.nextToBind());
    }

    @Test
    public void rebindingATopicToItsOwnAliasKeepsIt() {
        OutboundTopicAliases a = new OutboundTopicAliases(2);
        a.bind("t", 1);
        a.bind("u", 2);
        a.bind("t", 1); // a DUP resend with the full topic
        assertEquals(1, a.aliasOf("t"));
        assertEquals(2, a.aliasOf("u"));
        assertEquals("both taken, u used last", 1, a.nextToBind());
    }

    @Test
    public void aLargeMaximumGrowsAsTopicsArrive() {
        OutboundTopicAliases a = new OutboundTopicAliases(65535);
        for (int i = 1; i <= 1000; i++) {
            assertEquals(-i, send(a, "t/" + i));
        }
        for (int i = 1; i <= 1000; i++) {
            assertEquals(i, send(a, "t/" + i));
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void MQTT_3_1_2_26_bindingAboveTheMaximumIsRefused() {
        new OutboundTopicAliases(2).bind("t", 3);
    }
}
