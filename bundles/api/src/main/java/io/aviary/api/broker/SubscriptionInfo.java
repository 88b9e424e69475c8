package io.aviary.api.broker;

/**
 * One subscription of one client, as the broker holds it.
 *
 * @param topicFilter the filter as the client sent it, e.g. "$share/g1/a/+"
 * @param shareGroup  the shared-subscription group, or null
 */
public record SubscriptionInfo(String tenant, String clientId, String topicFilter, String shareGroup, SubscriptionOptions options) {
}
