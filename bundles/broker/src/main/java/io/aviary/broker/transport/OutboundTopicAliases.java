package io.aviary.broker.transport;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The Topic Aliases the broker uses on the PUBLISH packets it sends to one MQTT 5 client
 * (spec 3.3.2.3.4). It exists because the client decides how many aliases it accepts (its Topic
 * Alias Maximum, never exceeded [MQTT-3.1.2-26]) and a mapping lives only as long as one network
 * connection [MQTT-3.3.2-7]: one instance per connection, created empty, used on the
 * connection's event loop only. When all aliases are bound, the least recently used topic gives
 * its alias to the next new topic. A sent topic costs one hash lookup; slots are created as
 * topics arrive and then reused, so a client announcing a large maximum costs nothing up front.
 *
 * <p>Binding is a separate step ({@link #bind}) so the caller commits a mapping only once the
 * PUBLISH that carries it is really written (a message too large for the client is skipped,
 * and the client then never learnt the alias).
 */
final class OutboundTopicAliases {

    /** One alias and the topic bound to it, linked in recency order. */
    private static final class Slot {
        final int alias;
        String topic;
        Slot newer;
        Slot older;

        Slot(int alias) {
            this.alias = alias;
        }
    }

    private final int maximum;
    private final HashMap<String, Slot> byTopic = new HashMap<>();
    private Slot[] byAlias;
    private Slot newest;
    private Slot oldest;
    private int created;

    /** @param maximum the client's Topic Alias Maximum, 1..65535 */
    OutboundTopicAliases(int maximum) {
        if (maximum < 1 || maximum > 0xFFFF) {
            throw new IllegalArgumentException("topic alias maximum " + maximum);
        }
        this.maximum = maximum;
        this.byAlias = new Slot[Math.min(maximum, 16)];
    }

    /** The alias bound to this topic, now the most recently used, or 0 when none is. */
    int aliasOf(String topic) {
        Slot s = byTopic.get(topic);
        if (s == null) {
            return 0;
        }
        touch(s);
        return s.alias;
    }

    /** The alias a new topic would take: the next never used one, else the least recently used. */
    int nextToBind() {
        return created < maximum ? created + 1 : oldest.alias;
    }

    /**
     * Records that a PUBLISH with the full topic and this alias (1..maximum) went out: the
     * client now maps the alias to the topic, replacing whatever it mapped before.
     */
    void bind(String topic, int alias) {
        if (alias < 1 || alias > maximum) {
            throw new IllegalArgumentException("topic alias " + alias + " above the client's maximum " + maximum);
        }
        Slot s = slot(alias);
        if (s.topic != null && !s.topic.equals(topic)) {
            byTopic.remove(s.topic);
        }
        Slot previous = byTopic.put(topic, s);
        if (previous != null && previous != s) {
            previous.topic = null; // the topic moved to another alias; the old one stays the client's, unused
        }
        s.topic = topic;
        touch(s);
    }

    /** The slot of an alias, creating it (and the ones below) on first use. */
    private Slot slot(int alias) {
        while (created < alias) {
            if (created == byAlias.length) {
                byAlias = Arrays.copyOf(byAlias, Math.min(maximum, byAlias.length * 2));
            }
            Slot s = new Slot(created + 1);
            byAlias[created++] = s;
            link(s);
        }
        return byAlias[alias - 1];
    }

    private void touch(Slot s) {
        if (s == newest) {
            return;
        }
        unlink(s);
        link(s);
    }

    /** Links as the newest. */
    private void link(Slot s) {
        s.older = newest;
        s.newer = null;
        if (newest != null) {
            newest.newer = s;
        }
        newest = s;
        if (oldest == null) {
            oldest = s;
        }
    }

    private void unlink(Slot s) {
        if (s.older != null) {
            s.older.newer = s.newer;
        } else {
            oldest = s.newer;
        }
        if (s.newer != null) {
            s.newer.older = s.older;
        } else {
            newest = s.older;
        }
        s.newer = null;
        s.older = null;
    }
}
