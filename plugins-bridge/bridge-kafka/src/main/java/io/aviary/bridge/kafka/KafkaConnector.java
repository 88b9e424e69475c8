package io.aviary.bridge.kafka;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.Source;
import io.aviary.api.integration.SourceContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka connector of a tenant: the cluster's address and credentials, an admin client for
 * health checks and topic look-ups, and the producers (one per action) and consumers (one per
 * source) opened through it. Nothing touches the network until the first check, action or source.
 */
final class KafkaConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnector.class);
    private static final long TOPIC_CACHE_MS = 30_000;
    static final long CHECK_BUDGET_MS = 4_500;

    private final ConnectorContext context;
    private final ClientSettings settings;
    private final boolean producer;
    private final ExecutorService checks;
    private final Set<AutoCloseable> children = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> knownTopics = new ConcurrentHashMap<>();
    private volatile Admin admin;
    private volatile boolean closed;

    KafkaConnector(ConnectorContext context, Map<String, Object> config, boolean producer) {
        this.context = context;
        this.settings = new ClientSettings(new ConfigValues(config, ""));
        this.producer = producer;
        this.checks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kafka-check-" + context.tenant() + "-" + context.connectorId());
            t.setDaemon(true);
            return t;
        });
    }

    ConnectorContext context() {
        return context;
    }

    ClientSettings settings() {
        return settings;
    }

    String clientId(String role) {
        return "aviary-" + context.tenant() + "-" + role;
    }

    @Override
    public CompletionStage<Health> check() {
        if (closed) {
            return CompletableFuture.completedFuture(Health.disconnected("connector closed"));
        }
        return CompletableFuture.supplyAsync(this::checkNow, checks);
    }

    /**
     * TCP first (for the network's own error), then the cluster's metadata through the admin
     * client; all within {@link #CHECK_BUDGET_MS}, inside the runtime's 5 s limit for a check.
     */
    Health checkNow() {
        long deadline = System.currentTimeMillis() + CHECK_BUDGET_MS;
        String tcpError = settings.probeTcp();
        if (tcpError != null) {
            return Health.disconnected(tcpError);
        }
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(remaining(deadline)))
                    .nodes().get(remaining(deadline), TimeUnit.MILLISECONDS).size();
            if (nodes == 0) {
                return Health.connecting("the cluster reports no brokers yet");
            }
            if (settings.healthCheckTopic != null) {
                admin().describeTopics(List.of(settings.healthCheckTopic), new DescribeTopicsOptions().timeoutMs(remaining(deadline)))
                        .allTopicNames().get(remaining(deadline), TimeUnit.MILLISECONDS);
            }
            return Health.connected();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.disconnected("interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            return Health.disconnected("no answer from the cluster within " + CHECK_BUDGET_MS + " ms");
        } catch (Exception e) {
            return Health.disconnected(KafkaErrors.describe(e));
        }
    }

    private static int remaining(long deadline) {
        return (int) Math.max(100, deadline - System.currentTimeMillis());
    }

    /**
     * Whether a topic exists (looked up through the admin client, remembered for a while), so
     * that a write to a missing topic fails at once instead of waiting for metadata that never comes.
     *
     * @throws Exception the admin client's error (a timeout when the cluster is unreachable)
     */
    boolean topicExists(String topic) throws Exception {
        Long until = knownTopics.get(topic);
        long now = System.currentTimeMillis();
        if (until != null && until > now) {
            return true;
        }
        try {
            admin().describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) settings.metadataRequestTimeoutMs))
                    .allTopicNames().get(settings.metadataRequestTimeoutMs + 500, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
        knownTopics.put(topic, now + TOPIC_CACHE_MS);
        return true;
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null && !closed) {
                    admin = KafkaClients.admin(settings.properties(clientId(context.connectorId().replace(':', '-') + "-admin")));
                }
                a = admin;
            }
        }
        if (a == null) {
            throw new IllegalStateException("connector closed");
        }
        return a;
    }

    @Override
    public Sink sink(String actionId, Map<String, Object> parameters) {
        if (!producer) {
            throw new IllegalArgumentException("type: kafka_consumer connectors have no actions; use kafka_producer");
        }
        ProducerSink sink = new ProducerSink(this, actionId, parameters);
        children.add(sink);
        return sink;
    }

    @Override
    public Source source(String sourceId, Map<String, Object> parameters, SourceContext sourceContext) {
        if (producer) {
            throw new UnsupportedOperationException("kafka_producer connectors have no sources; use kafka_consumer");
        }
        ConsumerSource source = new ConsumerSource(this, sourceId, parameters, sourceContext);
        children.add(source);
        source.start();
        return source;
    }

    void forget(AutoCloseable child) {
        children.remove(child);
    }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable child : List.copyOf(children)) {
            try {
                child.close();
            } catch (Exception e) {
                LOG.warn("kafka: tenant={} connector={} closing {} failed: {}", context.tenant(), context.connectorId(), child, e.toString());
            }
        }
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
                admin = null;
            }
        }
        checks.shutdownNow();
    }
}
