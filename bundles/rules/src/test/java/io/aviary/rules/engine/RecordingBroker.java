package io.aviary.rules.engine;

import io.aviary.api.broker.Broker;
import io.aviary.api.broker.ClientSnapshot;
import io.aviary.api.broker.PublishResult;
import io.aviary.api.broker.SubscriptionInfo;
import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.message.Message;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A stand-in for the broker in the runtime's unit tests (the end-to-end behaviour runs against
 * the real broker in RulesIT): it records what rules publish, on which thread, and can hand each
 * published message back to the rule engine the way the real broker emits messagePublish.
 */
final class RecordingBroker implements Broker {

    record Published(Message message, String thread) {}

    final List<Published> published = new CopyOnWriteArrayList<>();
    volatile Consumer<Message> onPublish = m -> {};

    @Override
    public PublishResult publish(Message message) {
        published.add(new Published(message, Thread.currentThread().getName()));
        onPublish.accept(message);
        return new PublishResult("id", 0);
    }

    @Override
    public boolean subscribe(String tenant, String clientId, String topicFilter, SubscriptionOptions options) {
        return false;
    }

    @Override
    public boolean unsubscribe(String tenant, String clientId, String topicFilter) {
        return false;
    }

    @Override
    public boolean kick(String tenant, String clientId) {
        return false;
    }

    @Override
    public Optional<ClientSnapshot> client(String tenant, String clientId) {
        return Optional.empty();
    }

    @Override
    public List<ClientSnapshot> clients(String tenant) {
        return List.of();
    }

    @Override
    public List<SubscriptionInfo> subscriptions(String tenant, String clientId) {
        return List.of();
    }

    @Override
    public List<SubscriptionInfo> subscriptions(String tenant) {
        return List.of();
    }
}
