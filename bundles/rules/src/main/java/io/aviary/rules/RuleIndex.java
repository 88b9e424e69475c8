package io.aviary.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rules a message or event triggers: a topic trie over every rule's FROM topic filters,
 * plus maps by event name and source id. A lookup walks the trie once by the topic's levels, so
 * rules on unrelated topics cost nothing per message, and a topic no rule wants allocates
 * nothing. Reads are lock-free over an immutable snapshot; changes (rare: a rule created,
 * updated, deleted) rebuild the snapshot under a lock, so load many rules with {@link #putAll}.
 *
 * @param <T> what the caller keeps per rule (the rule itself, its runtime, its id)
 */
public final class RuleIndex<T> {

    /** One trie level. */
    private static final class Node<T> {
        final Map<String, Node<T>> children = new HashMap<>();
        Node<T> plus;
        List<T> hash = List.of();
        List<T> here = List.of();

        Node<T> child(String level) {
            if (level.equals("+")) {
                return plus == null ? (plus = new Node<>()) : plus;
            }
            return children.computeIfAbsent(level, k -> new Node<>());
        }
    }

    private record Snapshot<T>(Node<T> root, Map<String, List<T>> events, Map<String, List<T>> bridges) {}

    private record Entry<T>(CompiledRule rule, T target) {}

    private final Map<String, Entry<T>> rules = new LinkedHashMap<>();
    private volatile Snapshot<T> snapshot = new Snapshot<>(new Node<>(), Map.of(), Map.of());

    /** Adds the rule, or replaces the rule of this id. */
    public synchronized void put(String id, CompiledRule rule, T target) {
        rules.put(id, new Entry<>(rule, target));
        rebuild();
    }

    /** One rule to index, for {@link #putAll}. */
    public record Rule<T>(String id, CompiledRule rule, T target) {}

    /** Adds (or replaces) many rules with one rebuild: loading a tenant's rules at boot. */
    public synchronized void putAll(java.util.Collection<Rule<T>> many) {
        for (Rule<T> r : many) {
            rules.put(r.id(), new Entry<>(r.rule(), r.target()));
        }
        rebuild();
    }

    /** Removes the rule of this id; whether there was one. */
    public synchronized boolean remove(String id) {
        boolean had = rules.remove(id) != null;
        if (had) {
            rebuild();
        }
        return had;
    }

    public synchronized int size() {
        return rules.size();
    }

    private void rebuild() {
        Node<T> root = new Node<>();
        Map<String, List<T>> events = new HashMap<>();
        Map<String, List<T>> bridges = new HashMap<>();
        for (Entry<T> e : rules.values()) {
            for (String filter : e.rule().topicFilters()) {
                Node<T> n = root;
                String[] levels = filter.split("/", -1);
                for (int i = 0; i < levels.length; i++) {
                    if (levels[i].equals("#") && i == levels.length - 1) {
                        n.hash = add(n.hash, e.target());
                        n = null;
                        break;
                    }
                    n = n.child(levels[i]);
                }
                if (n != null) {
                    n.here = add(n.here, e.target());
                }
            }
            for (String event : e.rule().events()) {
                events.put(event, add(events.getOrDefault(event, List.of()), e.target()));
            }
            for (String bridge : e.rule().bridges()) {
                bridges.put(bridge, add(bridges.getOrDefault(bridge, List.of()), e.target()));
            }
        }
        snapshot = new Snapshot<>(root, events, bridges);
    }

    private static <T> List<T> add(List<T> list, T t) {
        if (list.contains(t)) {
            return list;
        }
        List<T> out = new ArrayList<>(list.size() + 1);
        out.addAll(list);
        out.add(t);
        return Collections.unmodifiableList(out);
    }

    /** The rules whose FROM has a topic filter matching this topic (each rule once). */
    public List<T> matchTopic(String topic) {
        List<T> out = null;
        Node<T> root = snapshot.root();
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        out = match(root, topic, 0, out, dollar);
        return out == null ? List.of() : out;
    }

    private List<T> match(Node<T> node, String topic, int start, List<T> out, boolean noWildcard) {
        // a '#' here matches the rest, including the parent level itself ("a/#" matches "a")
        if (!noWildcard) {
            out = addAll(out, node.hash);
        }
        int end = topic.indexOf('/', start);
        String level = end < 0 ? topic.substring(start) : topic.substring(start, end);
        Node<T> exact = node.children.get(level);
        if (exact != null) {
            out = end < 0 ? last(exact, out) : match(exact, topic, end + 1, out, false);
        }
        if (node.plus != null && !noWildcard) {
            out = end < 0 ? last(node.plus, out) : match(node.plus, topic, end + 1, out, false);
        }
        return out;
    }

    private List<T> last(Node<T> n, List<T> out) {
        out = addAll(out, n.here);
        return addAll(out, n.hash);
    }

    private List<T> addAll(List<T> out, List<T> more) {
        if (more.isEmpty()) {
            return out;
        }
        if (out == null) {
            out = new ArrayList<>(more.size() + 2);
        }
        for (T t : more) {
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The rules selecting FROM this event ("client.connected"). */
    public List<T> matchEvent(String eventName) {
        return snapshot.events().getOrDefault(eventName, List.of());
    }

    /** The rules selecting FROM "$bridges/" + this source id. */
    public List<T> matchBridge(String sourceId) {
        return snapshot.bridges().getOrDefault(sourceId, List.of());
    }
}
