package io.aviary.api.integration;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A live connection (or pool) to one external system, shared by the actions and sources that
 * name it. Thread-safe. Closed when the connector is stopped, changed or deleted, or when its
 * plugin goes away.
 */
@ConsumerType
public interface Connector extends AutoCloseable {

    /**
     * Checks the connection now (the runtime calls it every health_check_interval, and the probe
     * endpoint calls it once). Completes with the status and, when not connected, the real error
     * ("Access denied for user 'x'@'localhost'", "Connection refused"). Must complete within a few
     * seconds: the runtime counts a stage still pending after its timeout as disconnected.
     */
    CompletionStage<Health> check();

    /**
     * Prepares an action that writes through this connector; its templates are parsed here.
     *
     * @param actionId   {@code type:name}, for log lines
     * @param parameters the action's {@code parameters}, already accepted by {@link ConnectorType#actionSchema}
     * @throws IllegalArgumentException naming the field ("parameters.sql") when a template or option is unusable
     */
    Sink sink(String actionId, Map<String, Object> parameters);

    /**
     * Starts a source that reads through this connector and hands each message to {@code context}.
     *
     * @throws IllegalArgumentException naming the field when a parameter is unusable
     * @throws UnsupportedOperationException when this type has no sources
     */
    default Source source(String sourceId, Map<String, Object> parameters, SourceContext context) {
        throw new UnsupportedOperationException("this connector type has no sources");
    }

    /** Releases the connection; does not throw. */
    @Override
    void close();
}
