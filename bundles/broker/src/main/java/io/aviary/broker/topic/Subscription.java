package io.aviary.broker.topic;

import io.aviary.api.broker.SubscriptionOptions;

/**
 * One subscription of one session as the topic index stores it. Immutable: changing options
 * replaces the whole value, so readers on other threads always see a consistent one.
 *
 * @param filter      the filter as the client sent it (e.g. "$share/g/a/+")
 * @param topicFilter the part that is matched against topics (e.g. "a/+")
 * @param shareGroup  the shared-subscription group, or null
 */
public record Subscription(Subscriber subscriber, String filter, String topicFilter, String shareGroup,
                           SubscriptionOptions options) {

    public boolean shared() {
        return shareGroup != null;
    }
}
