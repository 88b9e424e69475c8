package io.aviary.rules;

import static io.aviary.rules.Rules.eval;
import static io.aviary.rules.Rules.failure;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

/** The functions that read the message (msgid(), topic(n), payload(path), ...) and the null helpers. */
public class MessageFunctionsTest {

    @Test
    public void columnFunctions() {
        assertEquals("0006225A2D1A2B5CF4420000008A0003", eval("msgid()"));
        assertEquals(1L, eval("qos()"));
        assertEquals("t/a", eval("topic()"));
        assertEquals("c1", eval("clientid()"));
        assertEquals("u1", eval("username()"));
        assertEquals("127.0.0.1", eval("peerhost()"));
        assertEquals("127.0.0.1", eval("clientip()"));
        assertEquals("{\"a\": 1, \"s\": \"x\"}", Values.text(eval("payload()")));
    }

    @Test
    public void topicLevels() {
        assertEquals("t", eval("topic(1)"));
        assertEquals("a", eval("topic(2)"));
        assertTrue(failure("topic(3)").contains("has 2 levels"));
    }

    @Test
    public void flags() {
        assertEquals(Map.of("dup", false, "retain", true), eval("flags()"));
        assertEquals(true, eval("flag('retain')"));
    }

    @Test
    public void payloadPath() {
        assertEquals(1L, eval("payload('a')"));
        assertEquals(null, eval("payload('a.b')"));
    }

    @Test
    public void containsTopic() {
        String subs = "json_decode('[{\"topic\": \"t/1\", \"qos\": 1}, {\"topic\": \"t/#\", \"qos\": 2}]')";
        assertEquals(true, eval("contains_topic(" + subs + ", 't/1')"));
        assertEquals(false, eval("contains_topic(" + subs + ", 't/2')"));
        assertEquals(true, eval("contains_topic(" + subs + ", 't/1', 1)"));
        assertEquals(false, eval("contains_topic(" + subs + ", 't/1', 2)"));
        assertEquals(true, eval("contains_topic_match(" + subs + ", 't/2')"));
        assertEquals(true, eval("contains_topic_match(" + subs + ", 't/2', 2)"));
        assertEquals(false, eval("contains_topic_match(" + subs + ", 'x/2')"));
    }

    @Test
    public void getenvReadsOnlyEmqxvarPrefixedVariables() {
        // the module's surefire configuration sets EMQXVAR_AVIARY_RULES_TEST=hello
        assertEquals("hello", eval("getenv('AVIARY_RULES_TEST')"));
        assertEquals("", eval("getenv('PATH')"));
    }

    @Test
    public void nullAndCoalesce() {
        assertEquals(null, eval("null()"));
        assertEquals("a", eval("coalesce(nothing, 'a')"));
        assertEquals("b", eval("coalesce([nothing, 'b', 'c'])"));
        assertEquals("", eval("coalesce('', 'a')"));
        assertEquals("a", eval("coalesce_ne('', 'a')"));
        assertEquals("c", eval("coalesce_ne([nothing, '', 'c'])"));
        assertEquals(null, eval("coalesce_ne('', nothing)"));
    }
}
