package io.aviary.broker.topic;

import io.aviary.broker.session.SessionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One tenant's subscriptions as a trie keyed by topic level. Matching walks at most three
 * branches per level (exact, '+', '#'), so its cost grows with the topic's depth, not with the
 * number of subscriptions. Reads are lock-free over concurrent maps; writers (subscribe,
 * unsubscribe) are serialised by one lock, which also makes pruning empty nodes safe.
 */
public final class TopicTree {

    private final Node root = new Node(null, null);
    private final Object writeLock = new Object();

    /** Adds or replaces a subscription; returns the one it replaced (same session, same filter), or null. */
    public Subscription add(Subscription s) {
        synchronized (writeLock) {
            Node node = root;
            for (String level : TopicFilter.levels(s.topicFilter())) {
                node = node.childOrCreate(level);
            }
            if (s.shared()) {
                return node.groupOrCreate(s.shareGroup()).put(s);
            }
            return node.subs().put(s.subscriber().key(), s);
        }
    }

    /**
     * Removes exactly this subscription (not a newer one of a session with the same key, which a
     * racing reconnect may have added); returns true if it was there.
     */
    public boolean remove(Subscription s) {
        synchronized (writeLock) {
            Node node = find(s.topicFilter());
            if (node == null) {
                return false;
            }
            boolean removed = s.shared() ? removeShared(node, s) : removeDirect(node, s);
            node.pruneUpwards();
            return removed;
        }
    }

    /** The subscriptions held directly on a filter (not shared), e.g. to enforce $exclusive. */
    public List<Subscription> subscribersOf(String topicFilter) {
        Node node = find(topicFilter);
        return node == null || node.subs == null ? List.of() : new ArrayList<>(node.subs.values());
    }

    /** The shared group on a filter, or null. */
    public SharedGroup group(String topicFilter, String shareGroup) {
        Node node = find(topicFilter);
        return node == null || node.groups == null ? null : node.groups.get(shareGroup);
    }

    public void match(String topic, MatchSink sink) {
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        match(root, topic, 0, dollar, sink, LOOKUP.get());
    }

    /** Visits every subscription (for queries; not on the hot path). */
    public void forEach(Consumer<Subscription> visitor) {
        forEach(root, visitor);
    }

    /**
     * Matches the levels of {@code topic} from index {@code start} (past its end: none left) without
     * splitting it: each child is looked up through {@code level}, a view of the topic's characters.
     */
    private static void match(Node node, String topic, int start, boolean dollar, MatchSink sink, LevelView level) {
        Map<String, Node> children = node.children;
        boolean wildcardsAllowed = !(start == 0 && dollar);
        if (children != null && wildcardsAllowed) {
            Node hash = children.get("#");
            if (hash != null) {
                hash.emit(sink);
            }
        }
        if (start > topic.length()) {
            node.emit(sink);
            return;
        }
        if (children == null) {
            return;
        }
        int end = topic.indexOf('/', start);
        if (end < 0) {
            end = topic.length();
        }
        if (wildcardsAllowed) {
            Node plus = children.get("+");
            if (plus != null) {
                match(plus, topic, end + 1, dollar, sink, level);
            }
        }
        Node exact = children.get(level.of(topic, start, end)); // set right before use: the recursion reuses it
        if (exact != null) {
            match(exact, topic, end + 1, dollar, sink, level);
        }
    }

    private static final ThreadLocal<LevelView> LOOKUP = ThreadLocal.withInitial(LevelView::new);

    /**
     * A topic level as a map key without a substring: hashes and compares like the String of those
     * characters, so a map keyed by String finds the level (the map calls the looked-up key's
     * equals). One per thread, reused for every lookup; never stored in a map.
     */
    static final class LevelView {
        private String topic;
        private int from;
        private int to;
        private int hash;

        LevelView of(String t, int start, int end) {
            topic = t;
            from = start;
            to = end;
            int h = 0;
            for (int i = start; i < end; i++) {
                h = 31 * h + t.charAt(i);
            }
            hash = h;
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof String s && s.length() == to - from && topic.regionMatches(from, s, 0, to - from);
        }

        @Override
        public String toString() {
            return topic.substring(from, to);
        }
    }

    private static void forEach(Node node, Consumer<Subscription> visitor) {
        if (node.subs != null) {
            node.subs.values().forEach(visitor);
        }
        if (node.groups != null) {
            for (SharedGroup g : node.groups.values()) {
                for (Subscription s : g.members()) {
                    visitor.accept(s);
                }
            }
        }
        if (node.children != null) {
            for (Node child : node.children.values()) {
                forEach(child, visitor);
            }
        }
    }

    private Node find(String topicFilter) {
        Node node = root;
        for (String level : TopicFilter.levels(topicFilter)) {
            Map<String, Node> children = node.children;
            node = children == null ? null : children.get(level);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static boolean removeDirect(Node node, Subscription s) {
        return node.subs != null && node.subs.remove(s.subscriber().key(), s);
    }

    private static boolean removeShared(Node node, Subscription s) {
        SharedGroup g = node.groups == null ? null : node.groups.get(s.shareGroup());
        if (g == null || !g.remove(s)) {
            return false;
        }
        if (g.isEmpty()) {
            node.groups.remove(s.shareGroup());
        }
        return true;
    }

    /** One level of the trie. Maps are created lazily by writers and published through volatile fields. */
    private static final class Node {
        private final Node parent;
        private final String level;
        volatile ConcurrentHashMap<String, Node> children;
        volatile ConcurrentHashMap<SessionKey, Subscription> subs;
        volatile ConcurrentHashMap<String, SharedGroup> groups;

        Node(Node parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        void emit(MatchSink sink) {
            Map<SessionKey, Subscription> s = subs;
            if (s != null && !s.isEmpty()) {
                for (Subscription sub : s.values()) {
                    sink.direct(sub);
                }
            }
            Map<String, SharedGroup> g = groups;
            if (g != null && !g.isEmpty()) {
                for (SharedGroup group : g.values()) {
                    sink.shared(group);
                }
            }
        }

        Node childOrCreate(String name) {
            if (children == null) {
                children = new ConcurrentHashMap<>(4);
            }
            return children.computeIfAbsent(name, n -> new Node(this, n));
        }

        ConcurrentHashMap<SessionKey, Subscription> subs() {
            if (subs == null) {
                subs = new ConcurrentHashMap<>(4);
            }
            return subs;
        }

        SharedGroup groupOrCreate(String group) {
            if (groups == null) {
                groups = new ConcurrentHashMap<>(2);
            }
            return groups.computeIfAbsent(group, g -> new SharedGroup(g, path()));
        }

        boolean isEmpty() {
            return (children == null || children.isEmpty()) && (subs == null || subs.isEmpty())
                    && (groups == null || groups.isEmpty());
        }

        void pruneUpwards() {
            Node node = this;
            while (node.parent != null && node.isEmpty()) {
                node.parent.children.remove(node.level, node);
                node = node.parent;
            }
        }

        private String path() {
            StringBuilder sb = new StringBuilder();
            for (Node n = this; n.parent != null; n = n.parent) {
                sb.insert(0, n.parent.parent == null ? n.level : "/" + n.level);
            }
            return sb.toString();
        }
    }
}
