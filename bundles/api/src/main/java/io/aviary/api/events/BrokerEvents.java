package io.aviary.api.events;

import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.message.Message;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for broker events: register an implementation as an OSGi service
 * and the broker calls it. Every method has a no-op default, so a listener overrides only
 * what it needs. Calls arrive on I/O threads: return quickly and never block.
 * With no listener registered, the broker does no event work at all.
 */
@ConsumerType
public interface BrokerEvents {

    default void clientConnected(ClientInfo client, boolean cleanStart, int keepAlive, long sessionExpiry) {
    }

    /** @param reason EMQX-style reason: normal, takenover, kicked, keepalive_timeout, sock_closed, ... */
    default void clientDisconnected(ClientInfo client, String reason) {
    }

    /** CONNACK sent; {@code client} is what the CONNECT claimed, before authentication succeeded. */
    default void clientConnack(ClientInfo client, int reasonCode) {
    }

    /**
     * Authentication finished (EMQX's client.check_authn_complete).
     *
     * @param reasonCode 0 when admitted, else the CONNACK reason code of the refusal
     * @param anonymous  admitted (or refused) without any authenticator deciding
     */
    default void authnComplete(ClientInfo client, int reasonCode, boolean superuser, boolean anonymous) {
    }

    /**
     * An authorization check finished (EMQX's client.check_authz_complete).
     *
     * @param action "publish" or "subscribe"
     * @param source what decided: the source type ("file", "http"), "cache" for a cached answer,
     *               or "default" when no source decided (EMQX's no_match)
     */
    default void authzComplete(ClientInfo client, String action, String topic, boolean allowed, String source) {
    }

    default void sessionSubscribed(ClientInfo client, String topicFilter, SubscriptionOptions options) {
    }

    default void sessionUnsubscribed(ClientInfo client, String topicFilter) {
    }

    /** A message accepted for routing; {@code publisher} is null for platform messages. */
    default void messagePublish(ClientInfo publisher, Message message) {
    }

    default void messageDelivered(ClientInfo subscriber, Message message) {
    }

    /** QoS 1/2 delivery acknowledged by the subscriber (PUBACK or PUBCOMP). */
    default void messageAcked(ClientInfo subscriber, Message message) {
    }

    /** The message reached no subscriber at all. */
    default void messageDropped(Message message, DropReason reason) {
    }

    /** The message was not delivered to this one subscriber. */
    default void deliveryDropped(ClientInfo subscriber, Message message, DropReason reason) {
    }
}
