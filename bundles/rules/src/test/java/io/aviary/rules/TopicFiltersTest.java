package io.aviary.rules;

import static io.aviary.rules.TopicFilters.matches;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** MQTT topic-filter matching as =~ and the rule index use it. */
public class TopicFiltersTest {

    @Test
    public void wildcards() {
        assertTrue(matches("a/b/c", "a/b/c"));
        assertTrue(matches("a/b/c", "a/+/c"));
        assertTrue(matches("a/b/c", "a/#"));
        assertTrue(matches("a", "a/#"));
        assertTrue(matches("a/b", "#"));
        assertTrue(matches("/a", "+/a"));
        assertTrue(matches("a//b", "a/+/b"));
        assertFalse(matches("a/b", "a"));
        assertFalse(matches("a", "a/b"));
        assertFalse(matches("a/b/c", "a/+"));
        assertFalse(matches("ab", "a"));
    }

    @Test
    public void dollarTopicsAreNotMatchedByLeadingWildcards() {
        assertFalse(matches("$SYS/x", "#"));
        assertFalse(matches("$SYS/x", "+/x"));
        assertTrue(matches("$SYS/x", "$SYS/#"));
    }
}
