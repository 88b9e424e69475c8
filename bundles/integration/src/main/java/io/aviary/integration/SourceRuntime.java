package io.aviary.integration;

import io.aviary.api.broker.Broker;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Source;
import io.aviary.api.integration.SourceContext;
import io.aviary.api.message.Message;
import io.aviary.api.rules.Rules;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source at run time, and the {@link SourceContext} its plugin delivers to: each message goes
 * to the tenant's rules that select FROM "$bridges/<source id>" and, when the source maps it to
 * a local topic, to the broker under the source's tenant. Counts received; a refused publish
 * fails the delivery so the source does not commit it.
 */
final class SourceRuntime implements SourceContext {

    private static final Logger LOG = LoggerFactory.getLogger(SourceRuntime.class);

    final String tenant;
    final String id;
    volatile Resource config;
    final ActionMetrics metrics = new ActionMetrics();
    private final Supplier<Rules> rules;
    private final Supplier<Broker> broker;
    private volatile Source source;
    private volatile String error;

    SourceRuntime(String tenant, Resource config, Supplier<Rules> rules, Supplier<Broker> broker) {
        this.tenant = tenant;
        this.id = config.id();
        this.config = config;
        this.rules = rules;
        this.broker = broker;
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public String sourceId() {
        return id;
    }

    @Override
    public CompletionStage<Void> deliver(Map<String, Object> columns, Message local) {
        metrics.received.increment();
        metrics.matched.increment();
        Rules r = rules.get();
        if (r != null && !r.ingest(tenant, id, columns)) {
            metrics.droppedOther.increment();
        }
        if (local == null) {
            metrics.success.increment();
            return CompletableFuture.completedFuture(null);
        }
        Broker b = broker.get();
        if (b == null) {
            metrics.failed.increment();
            return CompletableFuture.failedFuture(new IllegalStateException("the broker is not running"));
        }
        try {
            b.publish(new Message(null, tenant, local.topic(), local.payload(), local.qos(), local.retain(),
                    local.properties(), null, local.timestamp() > 0 ? local.timestamp() : System.currentTimeMillis()));
            metrics.success.increment();
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            metrics.failed.increment();
            metrics.lastError = e.getMessage();
            LOG.warn("integration: tenant={} source={} publish to {} refused: {}", tenant, id, local.topic(),
                    e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
    }

    void started(Source s) {
        source = s;
        error = null;
        LOG.info("integration: tenant={} source={} started", tenant, id);
    }

    void failed(String why) {
        error = why;
    }

    void close() {
        Source s = source;
        source = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("integration: tenant={} source={} close failed: {}", tenant, id, e.toString());
            }
            LOG.info("integration: tenant={} source={} stopped", tenant, id);
        }
    }

    Health health(Health connector) {
        Source s = source;
        if (s != null) {
            return s.health();
        }
        return error != null ? Health.disconnected(error) : connector;
    }
}
