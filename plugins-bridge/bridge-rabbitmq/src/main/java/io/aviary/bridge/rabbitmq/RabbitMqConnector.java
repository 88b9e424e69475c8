package io.aviary.bridge.rabbitmq;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rabbitmq connector: the pooled AMQP connections its actions publish through. Opening it
 * connects nothing; the first health check (or batch) does, on the connector's own thread, so a
 * broker that is down or refuses the login shows as disconnected with the broker's words.
 */
final class RabbitMqConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqConnector.class);
    /** A check answers within this, whatever the configured connect timeout. */
    static final long CHECK_LIMIT_MS = 5000;

    private final ConnectorContext context;
    private final RabbitMqSettings settings;
    private final ConnectionPool pool;
    private final ExecutorService checker;
    /** The last failed check's error, so an outage is logged once, not at every health check. */
    private volatile String lastCheckError;
    private final Set<RabbitMqSink> sinks = ConcurrentHashMap.newKeySet();

    RabbitMqConnector(ConnectorContext context, RabbitMqSettings settings) {
        this.context = context;
        this.settings = settings;
        this.pool = new ConnectionPool(context.tenant(), context.connectorId(), settings);
        this.checker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rabbitmq-check-" + context.tenant() + "-" + context.connectorId());
            t.setDaemon(true);
            return t;
        });
        LOG.info("bridge-rabbitmq: tenant={} connector={} opened for {} (pool_size {})", context.tenant(),
                context.connectorId(), settings.describeServers(), settings.poolSize());
    }

    /** Connected when the first pooled connection is open (connecting it if needed). */
    @Override
    public CompletionStage<Health> check() {
        CompletableFuture<Health> result = new CompletableFuture<>();
        try {
            checker.execute(() -> {
                try {
                    pool.get(0);
                    lastCheckError = null;
                    result.complete(Health.connected());
                } catch (Exception e) {
                    String error = RabbitErrors.describe(e);
                    if (!error.equals(lastCheckError)) {
                        LOG.info("bridge-rabbitmq: tenant={} connector={} cannot connect to {}: {}", context.tenant(),
                                context.connectorId(), settings.describeServers(), error);
                    }
                    lastCheckError = error;
                    result.complete(Health.disconnected(error));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.complete(Health.disconnected("connector is stopped"));
        }
        return result.completeOnTimeout(Health.disconnected("no answer from " + settings.describeServers() + " within "
                + CHECK_LIMIT_MS + " ms"), CHECK_LIMIT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public Sink sink(String actionId, Map<String, Object> parameters) {
        PublishTemplate template = new PublishTemplate(context.templates(), parameters);
        RabbitMqSink sink = new RabbitMqSink(context.tenant(), actionId, pool, template, sinks::remove);
        sinks.add(sink);
        LOG.info("bridge-rabbitmq: tenant={} connector={} action={} ready", context.tenant(), context.connectorId(), actionId);
        return sink;
    }

    @Override
    public void close() {
        List.copyOf(sinks).forEach(RabbitMqSink::close);
        checker.shutdownNow();
        pool.close();
        LOG.info("bridge-rabbitmq: tenant={} connector={} closed", context.tenant(), context.connectorId());
    }
}
