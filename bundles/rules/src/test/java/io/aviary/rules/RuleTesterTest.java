package io.aviary.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** rule_test: example columns completed, FROM matched, outputs or 412's two reasons. */
public class RuleTesterTest {

    @Test
    public void aMessageContextRunsWithTheGivenPayloadAndTopic() throws Exception {
        CompiledRule r = RuleSql.compile("SELECT payload.msg AS msg, clientid FROM \"t/#\" WHERE msg = 'hello'");
        RuleTester.Outcome o = RuleTester.run(r, Map.of("event_type", "message_publish", "topic", "t/a",
                "payload", "{\"msg\": \"hello\"}"));
        assertEquals(RuleTester.Status.PASSED, o.status());
        assertEquals(List.of(Map.of("msg", "hello", "clientid", "c_emqx")), o.outputs());
    }

    @Test
    public void whereFalseIsNoResultAndAnotherTopicIsNoMatch() throws Exception {
        CompiledRule r = RuleSql.compile("SELECT * FROM \"t/#\" WHERE payload.msg = 'bye'");
        assertEquals(RuleTester.Status.NO_RESULT, RuleTester.run(r, Map.of("topic", "t/a")).status());
        assertEquals(RuleTester.Status.NO_MATCH, RuleTester.run(r, Map.of("topic", "x/a")).status());
    }

    @Test
    public void anEventContextMatchesItsEventInFrom() throws Exception {
        CompiledRule r = RuleSql.compile("SELECT clientid, event FROM \"$events/client/connected\"");
        RuleTester.Outcome o = RuleTester.run(r, Map.of("event_type", "client_connected", "clientid", "dev1"));
        assertEquals(RuleTester.Status.PASSED, o.status());
        assertEquals(Map.of("clientid", "dev1", "event", "client.connected"), o.outputs().get(0));
        assertEquals(RuleTester.Status.NO_MATCH, RuleTester.run(r, Map.of("event_type", "client_disconnected")).status());
    }

    @Test
    public void anUnknownEventTypeIsRefused() {
        try {
            RuleTester.context(Map.of("event_type", "nope"));
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("unknown event_type 'nope'", e.getMessage());
        }
    }

    @Test
    public void aFailingRuleThrowsItsReason() throws Exception {
        CompiledRule r = RuleSql.compile("SELECT payload.x FROM \"t/#\"");
        try {
            RuleTester.run(r, Map.of("topic", "t/1", "payload", "not json"));
            fail();
        } catch (RuleEvalException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("decode_json_failed"));
        }
    }
}
