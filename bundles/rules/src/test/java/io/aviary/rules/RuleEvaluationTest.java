package io.aviary.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Running rules: SELECT/WHERE, FOREACH/DO/INCASE, comparisons, lazy payload decoding, failures. */
public class RuleEvaluationTest {

    @Test
    public void selectWithWhereGivesOneOutputOrNone() {
        String sql = "SELECT payload.temp as t, clientid FROM \"sensors/#\" WHERE payload.temp > 20";
        Map<String, Object> out = Rules.one(sql, "{\"temp\": 25.5}");
        assertEquals(Map.of("t", 25.5, "clientid", "c1"), out);
        assertTrue("WHERE false is no result, not a failure", Rules.run(sql, "{\"temp\": 10}").isEmpty());
    }

    @Test
    public void selectStarGivesEveryColumnAndPayloadStaysRaw() {
        Map<String, Object> out = Rules.one("SELECT * FROM \"t/#\"", "{\"a\": 1}");
        assertEquals("c1", out.get("clientid"));
        assertTrue(out.get("payload") instanceof byte[]);
        assertEquals("{\"a\": 1}", new String((byte[]) out.get("payload"), StandardCharsets.UTF_8));
    }

    @Test
    public void selectPayloadKeepsTheRawBytesWithoutDecoding() throws Exception {
        MapRuleContext ctx = Rules.message("not json at all");
        Map<String, Object> out = RuleSql.compile("SELECT payload FROM \"t/#\"").apply(ctx).get(0);
        assertEquals("not json at all", Values.text(out.get("payload")));
        assertFalse(ctx.payloadDecoded());
    }

    @Test
    public void aRuleNotTouchingPayloadFieldsNeverParsesThePayload() throws Exception {
        MapRuleContext ctx = Rules.message("{\"a\": 1}");
        RuleSql.compile("SELECT clientid, topic, qos FROM \"t/#\" WHERE topic =~ 't/+'").apply(ctx);
        assertFalse(ctx.payloadDecoded());
        RuleSql.compile("SELECT payload.a FROM \"t/#\"").apply(ctx);
        assertTrue(ctx.payloadDecoded());
    }

    @Test
    public void thePayloadIsDecodedOnceForAllRulesOfAMessage() throws Exception {
        MapRuleContext ctx = Rules.message("{\"a\": {\"b\": 1}}");
        Object first = ctx.decodedPayload();
        RuleSql.compile("SELECT payload.a.b AS x FROM \"t/#\"").apply(ctx);
        assertTrue("the cached decode is reused", first == ctx.decodedPayload());
    }

    @Test
    public void unaliasedPathBuildsNestedOutputLikeEmqx() {
        Map<String, Object> out = Rules.one("SELECT payload.a.b FROM \"t/#\"", "{\"a\": {\"b\": 2, \"c\": 3}}");
        assertEquals(Map.of("payload", Map.of("a", Map.of("b", 2L))), out);
    }

    @Test
    public void aliasIndexesAppendPrependAndBuildArraysAsEmqx() {
        Map<String, Object> out = Rules.one("SELECT payload.x AS b, 1 AS c[-0], 2 AS c[-0], b AS c[0] FROM \"t/#\"", "{\"x\": 0}");
        assertEquals(List.of(0L, 1L, 2L), out.get("c"));
        out = Rules.one("SELECT [payload.a, \"topic\", 'c'] AS c, 1 AS c[-0], 0 AS c[0] FROM \"t/#\"", "{\"a\": 11}");
        assertEquals(List.of(0L, 11L, "t/a", "c", 1L), out.get("c"));
        out = Rules.one("SELECT 0 AS payload.x[2].y FROM \"t/#\"", "{\"x\": [1, {\"y\": [1, 2]}, 3]}");
        assertEquals(Map.of("payload", Map.of("x", List.of(Map.of("y", 0L)))), out);
    }

    @Test
    public void anAliasIntoTheSelectedPayloadDecodesItAndUpdatesIt() {
        Map<String, Object> out = Rules.one("SELECT payload, map_get('w', payload.params, -1) AS payload.params.w FROM \"t/#\"",
                "{\"id\": 1, \"params\": {\"t\": 20}}");
        assertEquals(Map.of("id", 1L, "params", Map.of("t", 20L, "w", -1L)), out.get("payload"));
    }

    @Test
    public void aNestedAliasNeverChangesTheCachedPayload() throws Exception {
        MapRuleContext ctx = Rules.message("{\"p\": {\"a\": 1}}");
        RuleSql.compile("SELECT payload.p AS p, 2 AS p.b FROM \"t/#\"").apply(ctx);
        Map<String, Object> again = RuleSql.compile("SELECT payload.p AS p FROM \"t/#\"").apply(ctx).get(0);
        assertEquals(Map.of("a", 1L), again.get("p"));
    }

    @Test
    public void aliasesAreVisibleToLaterFieldsAndToWhere() {
        String sql = "SELECT payload.v * 2 AS d, d + 1 AS e FROM \"t/#\" WHERE e = 7";
        assertEquals(Map.of("d", 6L, "e", 7L), Rules.one(sql, "{\"v\": 3}"));
        assertTrue(Rules.run(sql, "{\"v\": 4}").isEmpty());
    }

    @Test
    public void undefinedComparesEqualOnlyToUndefined() {
        assertEquals(false, Rules.eval("payload.nope = 1"));
        assertEquals(false, Rules.eval("payload.nope != 1"));
        assertEquals(true, Rules.eval("payload.nope = payload.other"));
    }

    @Test
    public void numbersCompareWithNumericStrings() {
        assertEquals(true, Rules.eval("'10' > 9"));
        assertEquals(true, Rules.eval("1 = 1.0"));
        assertEquals(true, Rules.eval("'abc' < 'abd'"));
        assertEquals(true, Rules.eval("true = 'true'"));
        assertTrue(Rules.failure("1 > 'abc'").contains("non-numeric"));
    }

    @Test
    public void topicMatchOperator() {
        assertEquals(true, Rules.eval("topic =~ 't/#'"));
        assertEquals(true, Rules.eval("topic =~ 't/+'"));
        assertEquals(false, Rules.eval("topic =~ 'x/#'"));
        assertEquals(false, Rules.eval("'$SYS/a' =~ '#'"));
    }

    @Test
    public void plusAddsNumbersAndConcatenatesStrings() {
        assertEquals(3L, Rules.eval("1 + 2"));
        assertEquals(3.5, Rules.eval("1 + 2.5"));
        assertEquals("c1-x", Rules.eval("clientid + '-x'"));
        assertEquals("n=1", Rules.eval("'n=' + 1"));
        assertTrue(Rules.failure("payload.nope + 1").startsWith("bad_sql_function_argument"));
    }

    @Test
    public void divisionByZeroFailsTheRule() {
        assertTrue(Rules.failure("1 / 0").contains("division by zero"));
        assertTrue(Rules.failure("1 div 0").contains("division by zero"));
        assertTrue(Rules.failure("1.5 div 1").contains("integers"));
    }

    @Test
    public void aFunctionOnTheWrongTypeFailsWithItsReason() throws Exception {
        CompiledRule r = RuleSql.compile("SELECT lower(payload.n) AS x FROM \"t/#\"");
        try {
            r.apply(Rules.message("{\"n\": 12}"));
            fail();
        } catch (RuleEvalException e) {
            assertEquals("bad_sql_function_argument: lower(12): argument 1 must be a string, got integer", e.getMessage());
        }
    }

    @Test
    public void aPayloadFieldOnANonJsonPayloadFailsTheRule() throws Exception {
        CompiledRule r = RuleSql.compile("SELECT payload.a FROM \"t/#\"");
        try {
            r.apply(Rules.message("hello"));
            fail();
        } catch (RuleEvalException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("decode_json_failed"));
        }
    }

    @Test
    public void aNonBooleanWhereFailsTheRule() {
        try {
            Rules.run("SELECT * FROM \"t/#\" WHERE payload.a", "{\"a\": 1}");
            fail();
        } catch (RuleEvalException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("WHERE must give true or false"));
        }
    }

    @Test
    public void notOfANonBooleanIsFalse() {
        assertEquals(false, Rules.eval("not payload.a"));
    }

    @Test
    public void foreachWithoutDoGivesColumnsAndTheItem() {
        List<Map<String, Object>> outs = Rules.run("FOREACH payload.sensors FROM \"t/#\"",
                "{\"sensors\": [{\"n\": \"a\"}, {\"n\": \"b\"}]}");
        assertEquals(2, outs.size());
        assertEquals(Map.of("n", "a"), outs.get(0).get("item"));
        assertEquals("c1", outs.get(1).get("clientid"));
    }

    @Test
    public void foreachWithAliasDoAndIncase() {
        List<Map<String, Object>> outs = Rules.run("FOREACH payload.sensors AS s DO clientid, s.name AS name, s.v * 10 AS v"
                + " INCASE s.v > 1 FROM \"t/#\"",
                "{\"sensors\": [{\"name\": \"a\", \"v\": 1}, {\"name\": \"b\", \"v\": 2}, {\"name\": \"c\", \"v\": 3}]}");
        assertEquals(2, outs.size());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("clientid", "c1");
        expected.put("name", "b");
        expected.put("v", 20L);
        assertEquals(expected, outs.get(0));
        assertEquals("c", outs.get(1).get("name"));
    }

    @Test
    public void foreachFieldsBeforeTheArrayAreUsableInDo() {
        List<Map<String, Object>> outs = Rules.run("FOREACH payload.id AS devid, payload.xs AS x DO devid, x FROM \"t/#\"",
                "{\"id\": \"d1\", \"xs\": [1, 2]}");
        assertEquals(List.of(Map.of("devid", "d1", "x", 1L), Map.of("devid", "d1", "x", 2L)), outs);
    }

    @Test
    public void foreachChainsAliasesAndWhereComparesNumbersWithStrings() {
        // emqx_rule_engine_SUITE's t_sqlparse_foreach_9, unchanged
        String sql = "foreach json_decode(payload) as p, p.sensors as s, s.collection as c, c.info as info "
                + "do info.cmd as msg_type, info.name as name incase is_not_null(info.cmd) "
                + "from \"t/#\" where s.page = '2' ";
        String payload = "{\"sensors\": {\"page\": 2, \"collection\": "
                + "{\"info\":[{\"name\":\"cmd1\", \"cmd\":\"1\"}, {\"cmd\":\"2\"}, {\"name\":\"n3\"}]} } }";
        List<Map<String, Object>> outs = Rules.run(sql, payload);
        assertEquals(2, outs.size());
        assertEquals("1", outs.get(0).get("msg_type"));
        assertEquals("cmd1", outs.get(0).get("name"));
        assertEquals("2", outs.get(1).get("msg_type"));
        assertTrue(Rules.run(sql.replace("'2'", "'3'"), payload).isEmpty());
    }

    @Test
    public void foreachOverThePayloadItself() {
        List<Map<String, Object>> outs = Rules.run("FOREACH payload DO item.v AS v FROM \"t/#\"", "[{\"v\": 1}, {\"v\": 2}]");
        assertEquals(List.of(Map.of("v", 1L), Map.of("v", 2L)), outs);
    }

    @Test
    public void foreachWhereFalseOrEmptyArrayOrNonArrayIsNoResult() {
        assertTrue(Rules.run("FOREACH payload.xs FROM \"t/#\" WHERE false", "{\"xs\": [1]}").isEmpty());
        assertTrue(Rules.run("FOREACH payload.xs FROM \"t/#\"", "{\"xs\": []}").isEmpty());
        assertTrue(Rules.run("FOREACH payload.xs FROM \"t/#\"", "{\"xs\": 5}").isEmpty());
        assertTrue(Rules.run("FOREACH payload.xs AS x INCASE x > 9 FROM \"t/#\"", "{\"xs\": [1, 2]}").isEmpty());
    }

    @Test
    public void foreachDoStarCopiesColumnsAndTheItem() {
        List<Map<String, Object>> outs = Rules.run("FOREACH payload.xs AS x DO *, x * 2 AS d FROM \"t/#\"", "{\"xs\": [1]}");
        assertEquals(1L, outs.get(0).get("x"));
        assertEquals(2L, outs.get(0).get("d"));
        assertEquals("c1", outs.get(0).get("clientid"));
    }

    @Test
    public void foreachOverARange() {
        assertEquals(3, Rules.run("FOREACH [1..3] AS i DO i FROM \"t/#\"", "{}").size());
    }

    @Test
    public void jsonNullIsNotUndefined() {
        assertEquals(false, Rules.one("SELECT is_null(payload.x) AS a FROM \"t/#\"", "{\"x\": null}").get("a"));
        assertEquals(true, Rules.one("SELECT is_null_var(payload.x) AS a FROM \"t/#\"", "{\"x\": null}").get("a"));
        assertEquals(true, Rules.one("SELECT is_null(payload.y) AS a FROM \"t/#\"", "{\"x\": null}").get("a"));
    }

    @Test
    public void aJsonStringInsideThePayloadIsDecodedOnAccess() {
        assertEquals(5L, Rules.one("SELECT payload.inner.v AS v FROM \"t/#\"", "{\"inner\": \"{\\\"v\\\": 5}\"}").get("v"));
    }

    @Test
    public void aCompiledRuleIsSafeAcrossThreads() throws Exception {
        CompiledRule r = RuleSql.compile("SELECT payload.n * 2 AS d FROM \"t/#\" WHERE payload.n > 0");
        Thread[] threads = new Thread[4];
        Throwable[] failed = new Throwable[1];
        for (int t = 0; t < threads.length; t++) {
            final int base = t * 1000;
            threads[t] = new Thread(() -> {
                for (int i = 1; i < 1000; i++) {
                    Object d = r.apply(Rules.message("{\"n\": " + (base + i) + "}")).get(0).get("d");
                    if (!Long.valueOf(2L * (base + i)).equals(d)) {
                        failed[0] = new AssertionError("got " + d);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failed[0] != null) {
            throw new AssertionError(failed[0]);
        }
    }

    @Test
    public void eventContextsWork() throws Exception {
        Map<String, Object> cols = new LinkedHashMap<>(RuleEvents.get("client.connected").columns());
        Map<String, Object> out = RuleSql.compile("SELECT clientid, proto_ver FROM \"$events/client_connected\" WHERE proto_ver = 5")
                .apply(new MapRuleContext(cols)).get(0);
        assertEquals("c_emqx", out.get("clientid"));
    }
}
