package io.aviary.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

/** Hostile SQL and payloads get a precise error and bounded memory, never an escaping Error. */
public class HostileInputTest {

    @Test
    public void deeplyNestedSqlIsACompileError() {
        String sql = "SELECT " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + " FROM \"t\"";
        try {
            RuleSql.compile(sql);
            fail();
        } catch (RuleSqlException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nests too deeply"));
        }
    }

    @Test
    public void aHugeRangeIsACompileError() {
        try {
            RuleSql.compile("SELECT [1..100000000] AS r FROM \"t\"");
            fail();
        } catch (RuleSqlException e) {
            assertEquals(8, e.column());
            assertTrue(e.getMessage(), e.getMessage().contains("at most"));
        }
    }

    @Test
    public void deeplyNestedJsonPayloadFailsTheRule() throws Exception {
        CompiledRule r = RuleSql.compile("SELECT payload.a AS a FROM \"t/#\"");
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        try {
            r.apply(Rules.message(deep));
            fail();
        } catch (RuleEvalException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("decode_json_failed"));
        }
    }

    @Test
    public void hugeWidthsAreRefused() {
        assertTrue(Rules.failure("sprintf('~2000000000s', 'a')").contains("field width"));
        assertTrue(Rules.failure("pad('a', 2000000000)").contains("at most"));
        assertTrue(Rules.failure("pad('a', 900000, 'trailing', 'abcdefgh')").contains("would exceed"));
    }
}
