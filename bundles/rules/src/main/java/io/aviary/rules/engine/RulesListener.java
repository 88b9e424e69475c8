package io.aviary.rules.engine;

import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.events.BrokerEvents;
import io.aviary.api.events.DropReason;
import io.aviary.api.message.Message;

/**
 * The rule engine's ear on the broker: each event goes to its tenant's rules. Registered as a
 * {@link BrokerEvents} service only while some rule is enabled, because a registered listener
 * makes the broker build an event object per message.
 */
final class RulesListener implements BrokerEvents {

    private final RuleEngine engine;
    private final EventColumns c;

    RulesListener(RuleEngine engine) {
        this.engine = engine;
        this.c = engine.columns();
    }

    @Override
    public void messagePublish(ClientInfo publisher, Message message) {
        engine.onPublish(publisher, message);
    }

    @Override
    public void clientConnected(ClientInfo client, boolean cleanStart, int keepAlive, long sessionExpiry) {
        engine.onEvent(client.tenant(), "client.connected", client.clientId(), 0,
                () -> c.connected(client, cleanStart, keepAlive, sessionExpiry));
    }

    @Override
    public void clientDisconnected(ClientInfo client, String reason) {
        engine.onEvent(client.tenant(), "client.disconnected", client.clientId(), 0, () -> c.disconnected(client, reason));
    }

    @Override
    public void clientConnack(ClientInfo client, int reasonCode) {
        engine.onEvent(client.tenant(), "client.connack", client.clientId(), 0, () -> c.connack(client, reasonCode));
    }

    @Override
    public void authnComplete(ClientInfo client, int reasonCode, boolean superuser, boolean anonymous) {
        engine.onEvent(client.tenant(), "client.check_authn_complete", client.clientId(), 0,
                () -> c.authnComplete(client, reasonCode, superuser, anonymous));
    }

    @Override
    public void authzComplete(ClientInfo client, String action, String topic, boolean allowed, String source) {
        engine.onEvent(client.tenant(), "client.check_authz_complete", client.clientId(), 0,
                () -> c.authzComplete(client, action, topic, allowed, source));
    }

    @Override
    public void sessionSubscribed(ClientInfo client, String topicFilter, SubscriptionOptions options) {
        engine.onEvent(client.tenant(), "session.subscribed", client.clientId(), 0,
                () -> c.subscribed(client, topicFilter, options));
    }

    @Override
    public void sessionUnsubscribed(ClientInfo client, String topicFilter) {
        engine.onEvent(client.tenant(), "session.unsubscribed", client.clientId(), 0,
                () -> c.unsubscribed(client, topicFilter));
    }

    @Override
    public void messageDelivered(ClientInfo subscriber, Message message) {
        engine.onEvent(subscriber.tenant(), "message.delivered", message.publisher(), message.payload().remaining(),
                () -> c.delivered("message.delivered", subscriber, message));
    }

    @Override
    public void messageAcked(ClientInfo subscriber, Message message) {
        engine.onEvent(subscriber.tenant(), "message.acked", message.publisher(), message.payload().remaining(),
                () -> c.delivered("message.acked", subscriber, message));
    }

    @Override
    public void messageDropped(Message message, DropReason reason) {
        engine.onEvent(message.tenant(), "message.dropped", message.publisher(), message.payload().remaining(), () -> c.dropped(message, reason));
    }

    @Override
    public void deliveryDropped(ClientInfo subscriber, Message message, DropReason reason) {
        engine.onEvent(subscriber.tenant(), "delivery.dropped", message.publisher(), message.payload().remaining(),
                () -> c.deliveryDropped(subscriber, message, reason));
    }
}
