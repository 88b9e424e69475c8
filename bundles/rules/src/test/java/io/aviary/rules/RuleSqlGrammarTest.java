package io.aviary.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The grammar: every construct EMQX's rule SQL has parses, and bad SQL names its line and column. */
public class RuleSqlGrammarTest {

    private static RuleSqlException error(String sql) {
        try {
            RuleSql.compile(sql);
        } catch (RuleSqlException e) {
            return e;
        }
        fail("should not compile: " + sql);
        return null;
    }

    @Test
    public void keywordsAreCaseInsensitive() throws Exception {
        CompiledRule r = RuleSql.compile("select clientid As c from \"t/#\" wHeRe qos = 1 AnD NOT false");
        assertEquals(List.of("t/#"), r.topicFilters());
        assertEquals("c1", Rules.one(r.sql(), "{}").get("c"));
    }

    @Test
    public void fromListsTopicFiltersEventsAndBridges() throws Exception {
        CompiledRule r = RuleSql.compile("SELECT * FROM \"t/#\", \"a/+/b\", \"$events/client_connected\","
                + " \"$events/session/subscribed\", \"$bridges/mqtt:in\"");
        assertEquals(List.of("t/#", "a/+/b"), r.topicFilters());
        assertEquals(List.of("client.connected", "session.subscribed"), r.events());
        assertEquals(List.of("mqtt:in"), r.bridges());
        assertEquals(5, r.from().size());
    }

    @Test
    public void everyEventOfTheIssueIsAcceptedInFrom() throws Exception {
        for (String e : List.of("client_connected", "client_disconnected", "client_connack", "client_check_authz_complete",
                "client_check_authn_complete", "session_subscribed", "session_unsubscribed", "message_delivered",
                "message_acked", "message_dropped", "delivery_dropped")) {
            CompiledRule r = RuleSql.compile("SELECT * FROM \"$events/" + e + "\"");
            assertEquals(1, r.events().size());
        }
    }

    @Test
    public void aliasWithoutAsAndNestedAlias() {
        Map<String, Object> out = Rules.one("SELECT clientid cid, payload.a AS x.y FROM \"t/#\"", "{\"a\": 5}");
        assertEquals("c1", out.get("cid"));
        assertEquals(Map.of("y", 5L), out.get("x"));
    }

    @Test
    public void literalsStringsNumbersBooleansArraysAndRanges() {
        Map<String, Object> out = Rules.one("SELECT 'it''s' AS s, 12 AS i, -1.5 AS f, 2.5e2 AS e, true AS t, false AS f2,"
                + " [1, 'a', [2]] AS l, [1..3] AS r FROM \"t/#\"", "{}");
        assertEquals("it's", out.get("s"));
        assertEquals(12L, out.get("i"));
        assertEquals(-1.5, out.get("f"));
        assertEquals(250.0, out.get("e"));
        assertEquals(true, out.get("t"));
        assertEquals(false, out.get("f2"));
        assertEquals(List.of(1L, "a", List.of(2L)), out.get("l"));
        assertEquals(List.of(1L, 2L, 3L), out.get("r"));
    }

    @Test
    public void doubleQuotesNameAFieldAsInEmqx() {
        // "..." is a quoted name in EMQX's rule SQL (a string literal is '...')
        assertEquals("c1", Rules.eval("\"clientid\""));
        assertEquals(7L, Rules.one("SELECT payload.\"a-b\" AS v FROM \"t/#\"", "{\"a-b\": 7}").get("v"));
    }

    @Test
    public void fieldAccessDotsIndexesNegativeIndexesAndRanges() {
        String p = "{\"a\": {\"b\": {\"c\": 3}}, \"x\": [10, 20, 30], \"i\": 2, \"1\": \"one\"}";
        Map<String, Object> out = Rules.one("SELECT payload.a.b.c AS c, payload.x[1] AS first, payload.x[-1] AS last,"
                + " payload.x[0] AS zero, payload.x[9] AS none, payload.x[payload.i] AS byField, payload.x[2..3] AS slice,"
                + " payload.'1' AS quoted, payload.1 AS numkey FROM \"t/#\"", p);
        assertEquals(3L, out.get("c"));
        assertEquals(10L, out.get("first"));
        assertEquals(30L, out.get("last"));
        assertEquals(null, out.get("zero"));
        assertEquals(null, out.get("none"));
        assertEquals(List.of(20L, 30L), out.get("slice"));
        assertEquals("one", out.get("quoted"));
        assertEquals("one", out.get("numkey"));
    }

    @Test
    public void indexByAFieldReadsTheIndexFromTheColumns() {
        Map<String, Object> out = Rules.one("SELECT payload.x[payload.i] AS v FROM \"t/#\"", "{\"x\": [10, 20], \"i\": 2}");
        // EMQX resolves an index path against the root of the data being searched
        assertTrue(out.containsKey("v"));
    }

    @Test
    public void operatorPrecedence() {
        assertEquals(7L, Rules.eval("1 + 2 * 3"));
        assertEquals(9L, Rules.eval("(1 + 2) * 3"));
        assertEquals(-1L, Rules.eval("-3 + 2"));
        assertEquals(true, Rules.eval("1 + 1 = 2 and not 2 > 3 or false"));
        assertEquals(3L, Rules.eval("7 div 2"));
        assertEquals(1L, Rules.eval("7 mod 2"));
        assertEquals(3.5, Rules.eval("7 / 2"));
    }

    @Test
    public void caseBothForms() {
        assertEquals("big", Rules.eval("CASE WHEN payload.a > 0 THEN 'big' ELSE 'small' END"));
        assertEquals("one", Rules.eval("CASE payload.a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END"));
        assertEquals(null, Rules.eval("CASE WHEN false THEN 1 END"));
    }

    @Test
    public void inAndNotIn() {
        assertEquals(true, Rules.eval("payload.a IN (1, 2)"));
        assertEquals(false, Rules.eval("payload.a NOT IN (1, 2)"));
        assertEquals(true, Rules.eval("clientid in ('c1')"));
    }

    @Test
    public void commentsAndNewlines() {
        Map<String, Object> out = Rules.one("SELECT\n  clientid, -- who\n  topic\nFROM\n  \"t/#\"\n", "{}");
        assertEquals("t/a", out.get("topic"));
    }

    @Test
    public void foreachWithDoIncaseAndWhereParses() throws Exception {
        CompiledRule r = RuleSql.compile("FOREACH payload.sensors AS s DO s.name AS n, clientid INCASE s.v > 1"
                + " FROM \"t/#\" WHERE is_not_null(payload.sensors)");
        assertTrue(r.isForeach());
        assertFalse(RuleSql.compile("SELECT * FROM \"t\"").isForeach());
    }

    @Test
    public void missingFromNamesLineColumnAndWhatWasExpected() {
        RuleSqlException e = error("SELECT a, b c d");
        assertEquals(1, e.line());
        assertEquals(15, e.column());
        assertEquals("line 1, column 15: expected ',', '[', '.' or FROM but found 'd'", e.getMessage());
    }

    @Test
    public void endOfInputIsNamed() {
        RuleSqlException e = error("SELECT *\nFROM");
        assertEquals(2, e.line());
        assertEquals(5, e.column());
        assertTrue(e.getMessage(), e.getMessage().contains("a \"quoted\" name or topic"));
        assertTrue(e.getMessage(), e.getMessage().contains("the end of the SQL"));
    }

    @Test
    public void fromTakesBothQuoteStylesAsEmqxDoes() throws Exception {
        CompiledRule r = RuleSql.compile("select clientid, topic as tp from 't/tt', \"$events/client_connected\"");
        assertEquals(List.of("t/tt"), r.topicFilters());
        assertEquals(List.of("client.connected"), r.events());
    }

    @Test
    public void unknownCharacterAndUnterminatedString() {
        assertEquals(11, error("SELECT a, # FROM \"t\"").column());
        RuleSqlException e = error("SELECT 'abc FROM \"t\"");
        assertEquals("line 1, column 8: unterminated 'string'", e.getMessage());
        assertEquals("line 1, column 11: unexpected character '#'", error("SELECT a, # FROM \"t\"").getMessage());
    }

    @Test
    public void unknownFunctionAndWrongArityAreCompileErrors() {
        RuleSqlException e = error("SELECT nosuch(1) FROM \"t\"");
        assertEquals("line 1, column 8: unknown function nosuch()", e.getMessage());
        e = error("SELECT clientid,\n  abs(1, 2) FROM \"t\"");
        assertEquals(2, e.line());
        assertEquals(3, e.column());
        assertTrue(e.getMessage(), e.getMessage().contains("abs() takes 1 argument(s), not 2"));
    }

    @Test
    public void unknownEventAndBadTopicFilter() {
        assertTrue(error("SELECT * FROM \"$events/nope\"").reason().startsWith("unknown event"));
        assertTrue(error("SELECT * FROM \"a/#/b\"").reason().contains("'#'"));
        assertTrue(error("SELECT * FROM \"a+\"").reason().contains("'+'"));
    }

    @Test
    public void emptySql() {
        assertEquals("line 1, column 1: the SQL is empty", error("  ").getMessage());
    }

    @Test
    public void aWhereWithoutConditionIsAnError() {
        RuleSqlException e = error("SELECT * FROM \"t\" WHERE");
        assertTrue(e.getMessage(), e.getMessage().contains("an expression"));
    }
}
