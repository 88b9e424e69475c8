package io.aviary.bridge.rabbitmq;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.ConnectorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "rabbitmq" connector type of one tenant that enabled bridge-rabbitmq (EMQX 5's rabbitmq
 * connector and action; this plugin has no sources yet).
 */
@Component(configurationPid = "bridge-rabbitmq", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectorType.class, property = ConnectorType.TYPE_PROPERTY + "=rabbitmq")
public final class RabbitMqConnectorType implements ConnectorType {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqConnectorType.class);
    static final String CONNECTOR_SCHEMA = resource("/connector-schema.json");
    static final String ACTION_SCHEMA = resource("/action-schema.json");

    @Activate
    public RabbitMqConnectorType(Map<String, Object> props) {
        LOG.info("bridge-rabbitmq: tenant={} enabled", props.get("tenant"));
    }

    @Override
    public String type() {
        return "rabbitmq";
    }

    @Override
    public String connectorSchema() {
        return CONNECTOR_SCHEMA;
    }

    @Override
    public String actionSchema() {
        return ACTION_SCHEMA;
    }

    @Override
    public String sourceSchema() {
        return null;
    }

    @Override
    public Connector open(ConnectorContext context, Map<String, Object> config) {
        return new RabbitMqConnector(context, RabbitMqSettings.from(config));
    }

    private static String resource(String name) {
        try (InputStream in = RabbitMqConnectorType.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
