package io.aviary.metrics;

import static org.junit.Assert.assertTrue;

import io.aviary.api.broker.BrokerQueries;
import io.aviary.api.broker.BrokerStats;
import io.aviary.api.broker.DelayedMessage;
import io.aviary.api.broker.PendingMessage;
import io.aviary.api.message.Message;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.Test;

/** Broker counters become Prometheus series with a tenant label, and tenants seen later join. */
public class BrokerMetersTest {

    /** A BrokerQueries whose numbers the test sets; only stats and tenants are used by the meters. */
    private static final class FixedStats implements BrokerQueries {
        final Map<String, BrokerStats> byTenant = new ConcurrentHashMap<>();
        volatile BrokerStats node = BrokerMetersTest.stats(0, Map.of("bytes.received", 10L, "bytes.sent", 20L));

        @Override public BrokerStats stats(String tenant) {
            return tenant == null ? node : byTenant.get(tenant);
        }

        @Override public Set<String> tenants() {
            return byTenant.keySet();
        }

        @Override public Optional<List<PendingMessage>> mqueue(String t, String c) { return Optional.empty(); }
        @Override public Optional<List<PendingMessage>> inflight(String t, String c) { return Optional.empty(); }
        @Override public List<Message> retained(String t) { return List.of(); }
        @Override public Optional<Message> retained(String t, String topic) { return Optional.empty(); }
        @Override public boolean deleteRetained(String t, String topic) { return false; }
        @Override public List<DelayedMessage> delayed(String t) { return List.of(); }
        @Override public boolean deleteDelayed(String t, String id) { return false; }
    }

    private static BrokerStats stats(long connections, Map<String, Long> counters) {
        return new BrokerStats(connections, connections, 0, 0, 0, 0, 0, counters);
    }

    @Test
    public void countersAreLabelledByTenantAndNewTenantsAppear() {
        FixedStats broker = new FixedStats();
        broker.byTenant.put("default", stats(3, Map.of("messages.qos1.received", 5L, "messages.dropped.no_subscribers", 2L)));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        BrokerMeters meters = new BrokerMeters(registry, broker);

        meters.refresh();
        String text = registry.scrape();
        assertTrue(text, text.contains("aviary_messages_received_total{qos=\"1\",tenant=\"default\"} 5.0"));
        assertTrue(text, text.contains("aviary_messages_dropped_total{reason=\"no_subscribers\",tenant=\"default\"} 2.0"));
        assertTrue(text, text.contains("aviary_connections{tenant=\"default\"} 3.0"));
        assertTrue(text, text.contains("aviary_bytes_sent_total 20.0"));

        broker.byTenant.put("acme", stats(1, Map.of("messages.qos0.sent", 9L)));
        meters.refresh();
        text = registry.scrape();
        assertTrue(text, text.contains("aviary_messages_sent_total{qos=\"0\",tenant=\"acme\"} 9.0"));
        assertTrue(text, text.contains("aviary_connections{tenant=\"acme\"} 1.0"));
    }
}
