package io.aviary.api.broker;

/**
 * What became of a message published through {@link Broker#publish}.
 *
 * @param messageId   the id the broker gave the message
 * @param subscribers how many subscriptions it was routed to (0: no matching subscribers)
 */
public record PublishResult(String messageId, int subscribers) {
}
