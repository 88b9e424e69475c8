package io.aviary.api.integration;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One kind of external system a plugin can connect to, under its EMQX 5 type name ("http",
 * "mqtt", "kafka_producer", "kafka_consumer", "rabbitmq", "mysql", "pgsql", "redis", ...).
 *
 * <p>A plugin registers it as a service from a Declarative Services component with
 * {@code configurationPolicy = REQUIRE} on the plugin's factory PID, so there is one service per
 * tenant that enabled the plugin, carrying that tenant in its {@code tenant} property. The
 * plugin's manifest lists its types in {@code Aviary-Integration-Types}, so the runtime can enable
 * the plugin for a tenant when that tenant creates its first connector of one of them.
 */
@ConsumerType
public interface ConnectorType {

    /** Service property naming the type, equal to {@link #type()}, so the runtime can filter on it. */
    String TYPE_PROPERTY = "aviary.integration.type";

    String type();

    /** JSON Schema of a connector's configuration (EMQX's field names; resource_opts excluded). */
    String connectorSchema();

    /** JSON Schema of an action's {@code parameters}, or null when this type has no actions. */
    String actionSchema();

    /** JSON Schema of a source's {@code parameters}, or null when this type has no sources. */
    String sourceSchema();

    /**
     * Creates a connector from a configuration the schema already accepted. Must not block on the
     * network: the connection is made in the background (or on the first {@link Connector#check}),
     * and failures show in the connector's health, not here.
     *
     * @throws IllegalArgumentException naming the field when the configuration is unusable in a way
     *     the schema cannot say (a malformed URL, a certificate file that does not exist)
     */
    Connector open(ConnectorContext context, Map<String, Object> config);
}
