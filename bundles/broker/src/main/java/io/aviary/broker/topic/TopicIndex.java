package io.aviary.broker.topic;

import java.util.function.Consumer;

/**
 * The subscription index, per tenant: the seam a cluster implementation will replace to
 * distribute routes. The local implementation is one {@link TopicTree} per tenant.
 */
public interface TopicIndex {

    Subscription add(String tenant, Subscription subscription);

    /** Removes exactly this subscription (identity), so a stale removal never drops a newer one. */
    boolean remove(String tenant, Subscription subscription);

    void match(String tenant, String topic, MatchSink sink);

    /** The tenant's tree, created on first use (for exclusive and shared-group lookups). */
    TopicTree tree(String tenant);

    void forEach(String tenant, Consumer<Subscription> visitor);
}
