package io.aviary.broker.topic;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** In-process {@link TopicIndex}: one trie per tenant, created on first subscription. */
public final class LocalTopicIndex implements TopicIndex {

    private final ConcurrentHashMap<String, TopicTree> trees = new ConcurrentHashMap<>();

    @Override
    public Subscription add(String tenant, Subscription subscription) {
        return tree(tenant).add(subscription);
    }

    @Override
    public boolean remove(String tenant, Subscription subscription) {
        TopicTree tree = trees.get(tenant);
        return tree != null && tree.remove(subscription);
    }

    @Override
    public void match(String tenant, String topic, MatchSink sink) {
        TopicTree tree = trees.get(tenant);
        if (tree != null) {
            tree.match(topic, sink);
        }
    }

    @Override
    public TopicTree tree(String tenant) {
        return trees.computeIfAbsent(tenant, t -> new TopicTree());
    }

    @Override
    public void forEach(String tenant, Consumer<Subscription> visitor) {
        if (tenant == null) {
            trees.values().forEach(t -> t.forEach(visitor));
            return;
        }
        TopicTree tree = trees.get(tenant);
        if (tree != null) {
            tree.forEach(visitor);
        }
    }
}
