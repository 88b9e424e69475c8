package io.aviary.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The event catalogue: every event of EMQX's list, its FROM topics and example columns. */
public class RuleEventsTest {

    @Test
    public void everyEventHasATopicTypeSqlAndColumns() throws Exception {
        List<String> expected = List.of("message.publish", "message.delivered", "message.acked", "message.dropped",
                "delivery.dropped", "client.connected", "client.disconnected", "client.connack",
                "client.check_authz_complete", "client.check_authn_complete", "session.subscribed", "session.unsubscribed");
        assertEquals(expected, RuleEvents.all().stream().map(RuleEvents.EventInfo::event).toList());
        for (RuleEvents.EventInfo e : RuleEvents.all()) {
            assertEquals(e.event(), e.columns().get("event"));
            assertTrue(e.columns().containsKey("timestamp"));
            assertTrue(e.columns().containsKey("node"));
            // the example SQL compiles and selects this event
            CompiledRule r = RuleSql.compile(e.sqlExample());
            if (e.topic() != null) {
                assertEquals(List.of(e.event()), r.events());
                assertEquals(e.event(), RuleEvents.eventName(e.aliases().get(0)));
            }
        }
    }

    @Test
    public void messageColumnsAreTheIssuesList() {
        Map<String, Object> c = RuleEvents.get("message_publish").columns();
        for (String k : List.of("id", "clientid", "username", "payload", "peerhost", "topic", "qos", "flags", "headers",
                "pub_props", "timestamp", "publish_received_at", "node")) {
            assertTrue(k, c.containsKey(k));
        }
    }

    @Test
    public void lookupByNameOrEventType() {
        assertNotNull(RuleEvents.get("client.connected"));
        assertEquals("client.connected", RuleEvents.get("client_connected").event());
        assertEquals(null, RuleEvents.get("nope"));
        assertEquals("delivery.dropped", RuleEvents.eventName("$events/message/delivery_dropped"));
    }

    @Test
    public void theExampleColumnsRunThroughTheirExampleSql() throws Exception {
        for (RuleEvents.EventInfo e : RuleEvents.all()) {
            List<Map<String, Object>> out = RuleSql.compile(e.sqlExample())
                    .apply(new MapRuleContext(new java.util.LinkedHashMap<>(e.columns())));
            assertEquals(e.event(), 1, out.size());
        }
    }
}
