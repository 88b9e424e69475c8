package io.aviary.broker.topic;

import io.aviary.broker.config.SharedStrategy;
import io.aviary.broker.session.SessionKey;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one shared subscription ($share/{group}/{filter}); each message goes to one
 * of them, chosen by the configured strategy, preferring connected members. Members live in a
 * copy-on-write array: the topic tree serialises writers, readers (publishers) never lock.
 */
public final class SharedGroup {

    private static final Subscription[] NONE = new Subscription[0];

    private final String group;
    private final String topicFilter;
    private final AtomicInteger next = new AtomicInteger();
    private volatile Subscription[] members = NONE;
    private volatile Subscription sticky;

    SharedGroup(String group, String topicFilter) {
        this.group = group;
        this.topicFilter = topicFilter;
    }

    public String group() {
        return group;
    }

    public String topicFilter() {
        return topicFilter;
    }

    public Subscription[] members() {
        return members;
    }

    boolean isEmpty() {
        return members.length == 0;
    }

    /** Adds or replaces the member's subscription; returns the previous one. Caller holds the tree's write lock. */
    Subscription put(Subscription s) {
        Subscription[] m = members;
        for (int i = 0; i < m.length; i++) {
            if (m[i].subscriber().key().equals(s.subscriber().key())) {
                Subscription[] copy = m.clone();
                Subscription old = copy[i];
                copy[i] = s;
                members = copy;
                return old;
            }
        }
        Subscription[] copy = Arrays.copyOf(m, m.length + 1);
        copy[m.length] = s;
        members = copy;
        return null;
    }

    /** Removes exactly this member subscription; false if it is not (or no longer) in the group. Caller holds the tree's write lock. */
    boolean remove(Subscription s) {
        Subscription[] m = members;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == s) {
                Subscription[] copy = new Subscription[m.length - 1];
                System.arraycopy(m, 0, copy, 0, i);
                System.arraycopy(m, i + 1, copy, i, m.length - i - 1);
                members = copy;
                if (sticky == s) {
                    sticky = null;
                }
                return true;
            }
        }
        return false;
    }

    /** The member that gets this message, or null when the group is empty. */
    public Subscription pick(SharedStrategy strategy, String publisherId, String topic) {
        return pickExcept(strategy, publisherId, topic, null);
    }

    /** As {@link #pick}, never choosing {@code excluded} while another member exists (used when a member leaves). */
    public Subscription pickExcept(SharedStrategy strategy, String publisherId, String topic, SessionKey excluded) {
        Subscription[] m = members;
        if (m.length == 0) {
            return null;
        }
        if (strategy == SharedStrategy.STICKY) {
            Subscription s = sticky;
            if (s != null && s.subscriber().online() && !s.subscriber().ended() && !s.subscriber().key().equals(excluded)
                    && contains(m, s)) {
                return s;
            }
        }
        int start = Math.floorMod(startIndex(strategy, publisherId, topic, m.length), m.length);
        Subscription chosen = firstUsable(m, start, excluded);
        if (strategy == SharedStrategy.STICKY) {
            sticky = chosen;
        }
        return chosen;
    }

    private int startIndex(SharedStrategy strategy, String publisherId, String topic, int size) {
        switch (strategy) {
            case ROUND_ROBIN: return next.getAndIncrement();
            case HASH_CLIENTID: return publisherId == null ? 0 : publisherId.hashCode();
            case HASH_TOPIC: return topic.hashCode();
            case RANDOM:
            case STICKY:
            default: return ThreadLocalRandom.current().nextInt(size);
        }
    }

    /** First connected member from start on; else first member that is not excluded; else null. Never an ended one. */
    private static Subscription firstUsable(Subscription[] m, int start, SessionKey excluded) {
        Subscription fallback = null;
        for (int i = 0; i < m.length; i++) {
            Subscription s = m[(start + i) % m.length];
            if (s.subscriber().key().equals(excluded) || s.subscriber().ended()) {
                continue;
            }
            if (s.subscriber().online()) {
                return s;
            }
            if (fallback == null) {
                fallback = s;
            }
        }
        return fallback;
    }

    private static boolean contains(Subscription[] m, Subscription s) {
        for (Subscription x : m) {
            if (x == s) {
                return true;
            }
        }
        return false;
    }
}
