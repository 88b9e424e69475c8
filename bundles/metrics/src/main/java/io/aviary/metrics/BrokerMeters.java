package io.aviary.metrics;

import io.aviary.api.broker.BrokerQueries;
import io.aviary.api.broker.BrokerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The broker's counters and counts as Micrometer meters with a tenant tag. The broker keeps
 * plain LongAdders (nothing here runs per message); before each scrape {@link #refresh} reads
 * one {@link BrokerStats} per tenant, registers meters for tenants seen the first time, and
 * the meters read from those snapshots.
 */
final class BrokerMeters {

    static final String[] DROP_REASONS = {"no_subscribers", "queue_full", "expired", "too_large", "not_authorized",
        "qos0_offline", "session_expired", "no_local"};

    private final MeterRegistry registry;
    private final BrokerQueries broker;
    private final Map<String, BrokerStats> latest = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile BrokerStats node;

    BrokerMeters(MeterRegistry registry, BrokerQueries broker) {
        this.registry = registry;
        this.broker = broker;
        this.node = broker.stats(null);
        nodeMeters();
    }

    void refresh() {
        node = broker.stats(null);
        for (String tenant : broker.tenants()) {
            BrokerStats s = broker.stats(tenant);
            latest.put(tenant, s);
            if (registered.add(tenant)) {
                tenantMeters(tenant);
            }
            dynamicMeters(tenant, s);
        }
    }

    /**
     * Counters whose names appear at run time: quota refusals (quota.exceeded.<name>) and calls
     * into the tenant's plugin instances (plugin.<instance>.<call>.calls|failures|timeouts|latency_us_total).
     */
    private void dynamicMeters(String tenant, BrokerStats s) {
        for (String key : s.counters().keySet()) {
            if (!(key.startsWith("quota.exceeded.") || key.startsWith("plugin.")) || !registered.add(tenant + "\u0000" + key)) {
                continue;
            }
            Tags t = Tags.of("tenant", tenant);
            if (key.startsWith("quota.exceeded.")) {
                counter("aviary.quota.exceeded", t.and("quota", key.substring("quota.exceeded.".length())), tenant, key,
                        "Refusals by a tenant quota");
                continue;
            }
            // plugin.<instance>.<call>.<what>; the instance name may itself hold dots
            int last = key.lastIndexOf('.');
            int call = key.lastIndexOf('.', last - 1);
            String instance = key.substring("plugin.".length(), call);
            Tags pt = t.and("instance", instance).and("call", key.substring(call + 1, last));
            switch (key.substring(last + 1)) {
                case "calls" -> counter("aviary.plugin.calls", pt, tenant, key, "Calls into a plugin instance");
                case "failures" -> counter("aviary.plugin.failures", pt, tenant, key, "Plugin calls that failed");
                case "timeouts" -> counter("aviary.plugin.timeouts", pt, tenant, key, "Plugin calls cut off by the timeout");
                case "latency_us_total" -> counter("aviary.plugin.latency.us", pt, tenant, key,
                        "Summed time to a plugin's answer, microseconds (divide by calls for the mean)");
                default -> { }
            }
        }
    }

    private void nodeMeters() {
        nodeCounter("aviary.bytes.received", "bytes.received", "Bytes read from MQTT connections");
        nodeCounter("aviary.bytes.sent", "bytes.sent", "Bytes written to MQTT connections");
        nodeCounter("aviary.connections.accepted", "connections", "MQTT connections accepted since start");
        nodeCounter("aviary.packets.malformed", "packets.malformed", "Malformed MQTT packets received");
        nodeCounter("aviary.packets.protocol.error", "packets.protocol_error", "MQTT protocol errors");
        nodeCounter("aviary.packets.too.large", "packets.too_large", "MQTT packets over the size limit");
    }

    private void nodeCounter(String name, String key, String help) {
        FunctionCounter.builder(name, this, m -> m.node.counters().getOrDefault(key, 0L)).description(help)
                .register(registry);
    }

    private void tenantMeters(String tenant) {
        Tags t = Tags.of("tenant", tenant);
        for (int q = 0; q < 3; q++) {
            Tags tq = t.and("qos", String.valueOf(q));
            counter("aviary.messages.received", tq, tenant, "messages.qos" + q + ".received",
                    "Messages received from publishers (clients and the platform)");
            counter("aviary.messages.sent", tq, tenant, "messages.qos" + q + ".sent", "Messages sent to subscribers");
        }
        for (String reason : DROP_REASONS) {
            counter("aviary.messages.dropped", t.and("reason", reason), tenant, "messages.dropped." + reason,
                    "Messages not delivered, by reason");
        }
        counter("aviary.authentication", t.and("result", "success"), tenant, "authentication.success",
                "Client authentications by result");
        counter("aviary.authentication", t.and("result", "anonymous"), tenant, "authentication.success.anonymous",
                "Client authentications by result");
        counter("aviary.authentication", t.and("result", "failure"), tenant, "authentication.failure",
                "Client authentications by result");
        gauge("aviary.connections", t, tenant, BrokerStats::connections, "Connected clients");
        gauge("aviary.sessions", t, tenant, BrokerStats::sessions, "Sessions, connected or not");
        gauge("aviary.subscriptions", t, tenant, BrokerStats::subscriptions, "Subscriptions");
        gauge("aviary.topics", t, tenant, BrokerStats::topics, "Distinct subscribed topic filters");
        gauge("aviary.retained.messages", t, tenant, BrokerStats::retained, "Retained messages");
        gauge("aviary.delayed.messages", t, tenant, BrokerStats::delayed, "Messages held by delayed publish");
    }

    private void counter(String name, Tags tags, String tenant, String key, String help) {
        FunctionCounter.builder(name, this, m -> m.value(tenant, s -> s.counters().getOrDefault(key, 0L)))
                .tags(tags).description(help).register(registry);
    }

    private void gauge(String name, Tags tags, String tenant, ToDoubleFunction<BrokerStats> f, String help) {
        Gauge.builder(name, this, m -> m.value(tenant, f)).tags(tags).description(help).register(registry);
    }

    private double value(String tenant, ToDoubleFunction<BrokerStats> f) {
        BrokerStats s = latest.get(tenant);
        return s == null ? 0 : f.applyAsDouble(s);
    }
}
