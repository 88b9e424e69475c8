package io.aviary.bridge.kafka;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.ConnectorType;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** EMQX's kafka_consumer connector type (sources only), registered once per tenant that enabled bridge-kafka. */
@Component(configurationPid = "bridge-kafka", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectorType.class, property = ConnectorType.TYPE_PROPERTY + "=kafka_consumer")
public final class KafkaConsumerType implements ConnectorType {

    @Override
    public String type() {
        return "kafka_consumer";
    }

    @Override
    public String connectorSchema() {
        return Schemas.CONNECTOR;
    }

    @Override
    public String actionSchema() {
        return null;
    }

    @Override
    public String sourceSchema() {
        return Schemas.CONSUMER_SOURCE;
    }

    @Override
    public Connector open(ConnectorContext context, Map<String, Object> config) {
        return new KafkaConnector(context, config, false);
    }
}
