package io.aviary.broker.topic;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.broker.config.SharedStrategy;
import io.aviary.broker.session.SessionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.Test;

/** The topic trie: wildcard matching per MQTT 4.7, $-topics, shared groups, pruning. */
public class TopicTreeTest {

    private final TopicTree tree = new TopicTree();

    private record Sub(SessionKey key, boolean online) implements Subscriber {
    }

    private Subscription add(String client, String filter) {
        TopicFilter f = TopicFilter.parse(filter);
        Subscription s = new Subscription(new Sub(new SessionKey("default", client), true), filter, f.filter(),
                f.shareGroup(), SubscriptionOptions.qos(1));
        tree.add(s);
        return s;
    }

    private TreeSet<String> match(String topic) {
        TreeSet<String> out = new TreeSet<>();
        tree.match(topic, new MatchSink() {
            @Override
            public void direct(Subscription s) {
                out.add(s.filter());
            }

            @Override
            public void shared(SharedGroup g) {
                out.add("$share/" + g.group() + "/" + g.topicFilter());
            }
        });
        return out;
    }

    @Test
    public void MQTT_4_7_1_2_multiLevelWildcardMatchesTheParentAndAllChildren() {
        add("a", "sport/tennis/player1/#");
        assertEquals(Set("sport/tennis/player1/#"), match("sport/tennis/player1"));
        assertEquals(Set("sport/tennis/player1/#"), match("sport/tennis/player1/ranking"));
        assertEquals(Set("sport/tennis/player1/#"), match("sport/tennis/player1/score/wimbledon"));
        assertTrue(match("sport/tennis").isEmpty());
    }

    @Test
    public void MQTT_4_7_1_3_singleLevelWildcardMatchesExactlyOneLevel() {
        add("a", "sport/tennis/+");
        add("b", "+");
        add("c", "+/+");
        add("d", "/+");
        assertEquals(Set("sport/tennis/+"), match("sport/tennis/player1"));
        assertTrue(match("sport/tennis/player1/ranking").isEmpty());
        assertEquals(Set("+"), match("sport"));
        assertEquals(Set("+/+", "/+"), match("/finance"));
    }

    @Test
    public void MQTT_4_7_2_1_wildcardsAtTheFirstLevelDoNotMatchDollarTopics() {
        add("a", "#");
        add("b", "+/monitor/Clients");
        add("c", "$SYS/#");
        add("d", "$SYS/monitor/+");
        assertEquals(Set("$SYS/#", "$SYS/monitor/+"), match("$SYS/monitor/Clients"));
        assertEquals(Set("#", "+/monitor/Clients"), match("SYS/monitor/Clients"));
    }

    @Test
    public void emptyLevelsAreDistinctLevels() {
        add("a", "a//b");
        add("b", "a/+/b");
        assertEquals(Set("a//b", "a/+/b"), match("a//b"));
        assertEquals(Set("a/+/b"), match("a/x/b"));
    }

    @Test
    public void levelsOutsideLatin1AndEmptyEndsMatchByTheirCharacters() {
        add("a", "温度/+/ü");
        add("b", "/");
        add("c", "x/");
        assertEquals(Set("温度/+/ü"), match("温度/室内/ü"));
        assertEquals(Set(), match("温度/室内/u"));
        assertEquals(Set("/"), match("/"));
        assertEquals(Set("x/"), match("x/"));
        assertEquals(Set(), match("x"));
    }

    @Test
    public void sharedGroupsMatchOncePerGroup() {
        add("a", "$share/g1/t/+");
        add("b", "$share/g1/t/+");
        add("c", "$share/g2/t/#");
        assertEquals(Set("$share/g1/t/+", "$share/g2/t/#"), match("t/x"));
    }

    @Test
    public void removingTheLastSubscriptionPrunesTheBranch() {
        Subscription s = add("a", "x/y/z");
        assertTrue(tree.remove(s));
        assertTrue(match("x/y/z").isEmpty());
        List<Subscription> all = new ArrayList<>();
        tree.forEach(all::add);
        assertTrue(all.isEmpty());
        assertFalse(tree.remove(s));
    }

    @Test
    public void resubscribingReplacesTheSubscription() {
        Subscription first = add("a", "r/s");
        Subscription second = new Subscription(first.subscriber(), "r/s", "r/s", null, SubscriptionOptions.qos(2));
        assertTrue(tree.add(second) == first);
        List<Subscription> all = new ArrayList<>();
        tree.forEach(all::add);
        assertEquals(List.of(second), all);
    }

    @Test
    public void roundRobinCyclesThroughMembers() {
        add("a", "$share/g/rr");
        add("b", "$share/g/rr");
        SharedGroup g = tree.group("rr", "g");
        TreeSet<String> seen = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            seen.add(g.pick(SharedStrategy.ROUND_ROBIN, "pub", "rr").subscriber().key().clientId());
        }
        assertEquals(Set("a", "b"), seen);
    }

    @Test
    public void hashStrategiesPickTheSameMemberForTheSameKey() {
        add("a", "$share/g/h");
        add("b", "$share/g/h");
        add("c", "$share/g/h");
        SharedGroup g = tree.group("h", "g");
        String byClient = g.pick(SharedStrategy.HASH_CLIENTID, "pub1", "h").subscriber().key().clientId();
        String byTopic = g.pick(SharedStrategy.HASH_TOPIC, "x", "h").subscriber().key().clientId();
        for (int i = 0; i < 5; i++) {
            assertEquals(byClient, g.pick(SharedStrategy.HASH_CLIENTID, "pub1", "t" + i).subscriber().key().clientId());
            assertEquals(byTopic, g.pick(SharedStrategy.HASH_TOPIC, "pub" + i, "h").subscriber().key().clientId());
        }
    }

    @Test
    public void stickyKeepsTheSameMember() {
        add("a", "$share/g/st");
        add("b", "$share/g/st");
        SharedGroup g = tree.group("st", "g");
        String first = g.pick(SharedStrategy.STICKY, "p", "st").subscriber().key().clientId();
        for (int i = 0; i < 5; i++) {
            assertEquals(first, g.pick(SharedStrategy.STICKY, "p", "st").subscriber().key().clientId());
        }
    }

    @Test
    public void sharedPickPrefersOnlineMembers() {
        TopicFilter f = TopicFilter.parse("$share/g/on");
        tree.add(new Subscription(new Sub(new SessionKey("default", "off"), false), f.raw(), f.filter(), "g",
                SubscriptionOptions.qos(0)));
        tree.add(new Subscription(new Sub(new SessionKey("default", "on"), true), f.raw(), f.filter(), "g",
                SubscriptionOptions.qos(0)));
        SharedGroup g = tree.group("on", "g");
        for (int i = 0; i < 4; i++) {
            assertEquals("on", g.pick(SharedStrategy.ROUND_ROBIN, "p", "on").subscriber().key().clientId());
        }
    }

    @Test
    public void matchCostDoesNotDependOnUnrelatedSubscriptions() {
        for (int i = 0; i < 20000; i++) {
            add("c" + i, "devices/" + i + "/state");
        }
        add("x", "devices/+/state");
        assertEquals(Set("devices/+/state", "devices/7/state"), match("devices/7/state"));
        assertFalse(match("devices/7/other").size() > 0);
    }

    @Test
    public void filterPrefixesAreParsed() {
        assertEquals("g", TopicFilter.parse("$share/g/a/b").shareGroup());
        assertEquals("a/b", TopicFilter.parse("$share/g/a/b").filter());
        assertEquals("$queue", TopicFilter.parse("$queue/a").shareGroup());
        assertTrue(TopicFilter.parse("$exclusive/a").exclusive());
        assertNull(TopicFilter.parse("$share//a"));
        assertNull(TopicFilter.parse("$share/g"));
        assertNull(TopicFilter.parse("$share/g+/a"));
    }

    @Test
    public void removingAStaleSubscriptionKeepsTheNewerOneOfTheSameSession() {
        Subscription old = add("a", "k/l");
        Subscription fresh = new Subscription(new Sub(new SessionKey("default", "a"), true), "k/l", "k/l", null,
                SubscriptionOptions.qos(0));
        tree.add(fresh);
        assertFalse(tree.remove(old));
        assertEquals(Set("k/l"), match("k/l"));
    }

    private static TreeSet<String> Set(String... s) {
        return new TreeSet<>(List.of(s));
    }
}
