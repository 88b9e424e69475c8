package io.aviary.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/** The rule index finds exactly the rules whose FROM matches a message's topic or an event. */
public class RuleIndexTest {

    private static CompiledRule rule(String from) throws RuleSqlException {
        return RuleSql.compile("SELECT * FROM " + from);
    }

    @Test
    public void exactAndWildcardFilters() throws Exception {
        RuleIndex<String> idx = new RuleIndex<>();
        idx.put("exact", rule("\"a/b/c\""), "exact");
        idx.put("plus", rule("\"a/+/c\""), "plus");
        idx.put("hash", rule("\"a/#\""), "hash");
        idx.put("all", rule("\"#\""), "all");
        idx.put("other", rule("\"x/y\""), "other");
        assertEquals(Set.of("exact", "plus", "hash", "all"), new HashSet<>(idx.matchTopic("a/b/c")));
        assertEquals(Set.of("hash", "all"), new HashSet<>(idx.matchTopic("a")));
        assertEquals(Set.of("hash", "all"), new HashSet<>(idx.matchTopic("a/b")));
        assertEquals(Set.of("other", "all"), new HashSet<>(idx.matchTopic("x/y")));
        assertEquals(Set.of("all"), new HashSet<>(idx.matchTopic("x/y/z")));
    }

    @Test
    public void aRuleWithTwoMatchingFiltersIsReturnedOnce() throws Exception {
        RuleIndex<String> idx = new RuleIndex<>();
        idx.put("r", rule("\"t/#\", \"t/+\""), "r");
        assertEquals(List.of("r"), idx.matchTopic("t/1"));
    }

    @Test
    public void dollarTopicsNeedAnExplicitFirstLevel() throws Exception {
        RuleIndex<String> idx = new RuleIndex<>();
        idx.put("all", rule("\"#\""), "all");
        idx.put("plus", rule("\"+/x\""), "plus");
        idx.put("sys", rule("\"$SYS/#\""), "sys");
        assertEquals(List.of("sys"), idx.matchTopic("$SYS/x"));
    }

    @Test
    public void emptyLevelsMatch() throws Exception {
        RuleIndex<String> idx = new RuleIndex<>();
        idx.put("r", rule("\"a//b\""), "r");
        idx.put("p", rule("\"+/a\""), "p");
        assertEquals(List.of("r"), idx.matchTopic("a//b"));
        assertEquals(List.of("p"), idx.matchTopic("/a"));
    }

    @Test
    public void aThousandUnrelatedRulesDoNotMatch() throws Exception {
        RuleIndex<Integer> idx = new RuleIndex<>();
        List<RuleIndex.Rule<Integer>> rules = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rules.add(new RuleIndex.Rule<>("r" + i, rule("\"devices/" + i + "/telemetry\""), i));
        }
        idx.putAll(rules);
        assertEquals(List.of(417), idx.matchTopic("devices/417/telemetry"));
        assertTrue(idx.matchTopic("devices/1000/telemetry").isEmpty());
        assertTrue(idx.matchTopic("other/topic").isEmpty());
        assertEquals(1000, idx.size());
    }

    @Test
    public void eventsAndBridges() throws Exception {
        RuleIndex<String> idx = new RuleIndex<>();
        idx.put("c", rule("\"$events/client_connected\", \"t/#\""), "c");
        idx.put("c2", rule("\"$events/client/connected\""), "c2");
        idx.put("b", rule("\"$bridges/mqtt:in\""), "b");
        assertEquals(List.of("c", "c2"), idx.matchEvent("client.connected"));
        assertEquals(List.of(), idx.matchEvent("client.disconnected"));
        assertEquals(List.of("b"), idx.matchBridge("mqtt:in"));
        assertEquals(List.of("c"), idx.matchTopic("t/1"));
    }

    @Test
    public void replaceAndRemove() throws Exception {
        RuleIndex<String> idx = new RuleIndex<>();
        idx.put("r", rule("\"a\""), "r");
        idx.put("r", rule("\"b\""), "r");
        assertTrue(idx.matchTopic("a").isEmpty());
        assertEquals(List.of("r"), idx.matchTopic("b"));
        assertTrue(idx.remove("r"));
        assertFalse(idx.remove("r"));
        assertTrue(idx.matchTopic("b").isEmpty());
    }
}
