package io.aviary.api.integration;

import io.aviary.api.rules.Templates;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.annotation.versioning.ProviderType;

/** What the runtime gives a connector: who it belongs to, the rule engine's templates, and threads. */
@ProviderType
public interface ConnectorContext {

    String tenant();

    /** The connector's id, {@code type:name}; put it (and the tenant) in every log line. */
    String connectorId();

    /** The rule engine's template parser, for the templates of actions and sources. */
    Templates templates();

    /**
     * A shared scheduler for short, non-blocking work (timeouts, reconnect timers). Blocking
     * client libraries (JDBC) bring their own threads or pools.
     */
    ScheduledExecutorService scheduler();
}
