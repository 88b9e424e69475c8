package io.aviary.admin;

import io.aviary.api.broker.Broker;
import io.aviary.api.broker.ClientSnapshot;
import io.aviary.api.broker.PublishResult;
import io.aviary.api.broker.SubscriptionInfo;
import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.message.Message;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the broker bundle, which these unit tests run without: a plain in-memory
 * Broker holding client snapshots, recording published messages, and routing a message to
 * the number of subscribers set for its topic.
 */
final class InMemoryBrokerForTest implements Broker {

    final List<Message> published = new CopyOnWriteArrayList<>();
    final Map<String, Integer> subscribersByTopic = new ConcurrentHashMap<>();
    private final Map<String, ClientSnapshot> clients = new ConcurrentHashMap<>();

    void addClient(String clientId, long connectedAtMillis) {
        ClientInfo info = new ClientInfo(ClientInfo.DEFAULT_TENANT, clientId, "user-" + clientId,
                new InetSocketAddress("127.0.0.1", 50_000), "mqtt", 5, "tcp:default", null, null, Map.of());
        clients.put(clientId, new ClientSnapshot(info, true, true, 60, 0, connectedAtMillis, connectedAtMillis, 0,
                2, 1, 32, 0, 10, 20));
    }

    @Override
    public PublishResult publish(Message message) {
        published.add(message);
        return new PublishResult("msg-" + published.size(), subscribersByTopic.getOrDefault(message.topic(), 0));
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
        return clients.remove(clientId) != null;
    }

    @Override
    public Optional<ClientSnapshot> client(String tenant, String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public List<ClientSnapshot> clients(String tenant) {
        return clients.values().stream()
                .sorted((a, b) -> a.client().clientId().compareTo(b.client().clientId())).toList();
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
