package io.aviary.api.broker;

import io.aviary.api.message.Message;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The broker as seen by the admin API, rules, sources and gateways. Every call names
 * its tenant; nothing here crosses from one tenant into another.
 */
@ProviderType
public interface Broker {

    /** Routes a message as if a client had published it (retained messages are stored). */
    PublishResult publish(Message message);

    /** Subscribes an existing session on its client's behalf; false when there is no such session. */
    boolean subscribe(String tenant, String clientId, String topicFilter, SubscriptionOptions options);

    /** Removes a subscription; false when the session or the subscription does not exist. */
    boolean unsubscribe(String tenant, String clientId, String topicFilter);

    /** Disconnects a client (MQTT 5: DISCONNECT 0x98 Administrative action) and discards its session. */
    boolean kick(String tenant, String clientId);

    Optional<ClientSnapshot> client(String tenant, String clientId);

    /** All sessions of a tenant, connected or not; null tenant means every tenant. */
    List<ClientSnapshot> clients(String tenant);

    List<SubscriptionInfo> subscriptions(String tenant, String clientId);

    /** Every subscription of a tenant; null tenant means every tenant. */
    List<SubscriptionInfo> subscriptions(String tenant);
}
