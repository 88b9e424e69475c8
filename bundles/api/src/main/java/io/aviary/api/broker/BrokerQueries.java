package io.aviary.api.broker;

import io.aviary.api.message.Message;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Read-mostly views of broker state the admin API shows beyond clients and subscriptions:
 * a session's queue and inflight window, retained and delayed messages, and counters.
 * A separate service from {@link Broker} so that a caller which only publishes (rules,
 * gateways) does not depend on it. Every call names its tenant.
 */
@ProviderType
public interface BrokerQueries {

    /**
     * Whether a message published on {@code topic} now would reach any subscriber (shared groups
     * included). For a publisher whose messages cost something to build and that nobody keeps
     * when nobody subscribes ($SYS notices: not retained, not seen by rules). True by default.
     */
    default boolean hasSubscribers(String tenant, String topic) {
        return true;
    }

    /** The session's queued messages, oldest first; empty Optional when there is no such session. */
    Optional<List<PendingMessage>> mqueue(String tenant, String clientId);

    /** The session's unacknowledged outbound QoS 1/2 messages in send order; empty when no such session. */
    Optional<List<PendingMessage>> inflight(String tenant, String clientId);

    /** Every retained message of the tenant, in topic order. */
    List<Message> retained(String tenant);

    /** The retained message of one topic. */
    Optional<Message> retained(String tenant, String topic);

    /** Clears the retained message of one topic; false when there was none. */
    boolean deleteRetained(String tenant, String topic);

    /** Messages held by delayed publish ($delayed/{seconds}/{topic}), soonest first. */
    List<DelayedMessage> delayed(String tenant);

    /** Drops a held delayed message; false when no such message is held. */
    boolean deleteDelayed(String tenant, String messageId);

    /**
     * Point-in-time counts and counters. With a tenant: that tenant's counts and its own message,
     * byte, drop, quota and authentication counters only; null: the node.
     */
    BrokerStats stats(String tenant);

    /** Tenants the broker has counters or sessions for. */
    java.util.Set<String> tenants();
}
