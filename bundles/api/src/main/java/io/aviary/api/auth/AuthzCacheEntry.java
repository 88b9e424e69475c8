package io.aviary.api.auth;

/**
 * One answer in a connected client's authorization cache (EMQX's
 * {@code GET /clients/{clientid}/authorization/cache}).
 *
 * @param action    publish or subscribe
 * @param topic     the topic name (publish) or filter (subscribe) asked about
 * @param qos       the QoS asked about
 * @param retain    the retain flag asked about (publish)
 * @param result    ALLOW or DENY
 * @param updatedAt epoch ms when the answer was cached
 */
public record AuthzCacheEntry(Action action, String topic, int qos, boolean retain, Decision result, long updatedAt) {
}
