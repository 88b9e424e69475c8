package io.aviary.api.broker;

import java.util.Map;

/**
 * Counts (gauges) and monotonically increasing counters at one moment.
 *
 * @param connections   connected clients
 * @param sessions      sessions, connected or not
 * @param subscriptions subscriptions (shared ones included)
 * @param topics        distinct subscribed topic filters
 * @param retained      retained messages
 * @param delayed       messages held by delayed publish
 * @param counters      named counters, EMQX-style names such as "messages.received", "bytes.sent"
 */
public record BrokerStats(long connections, long sessions, long subscriptions, long sharedSubscriptions,
                          long topics, long retained, long delayed, Map<String, Long> counters) {

    public BrokerStats {
        counters = Map.copyOf(counters);
    }
}
