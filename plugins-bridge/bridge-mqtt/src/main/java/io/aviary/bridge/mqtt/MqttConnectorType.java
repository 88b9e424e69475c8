package io.aviary.bridge.mqtt;

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

/**
 * EMQX 5's "mqtt" integration type for one tenant: connectors to a remote MQTT broker, actions that
 * publish to it (egress) and sources that subscribe to it (ingress). One instance per tenant that
 * enabled bridge-mqtt; its {@link LoopGuard} is shared by all of the tenant's mqtt connectors.
 */
@Component(configurationPid = "bridge-mqtt", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectorType.class, property = ConnectorType.TYPE_PROPERTY + "=mqtt")
public final class MqttConnectorType implements ConnectorType {
    static final String TYPE = "mqtt";

    private final String tenant;
    private final LoopGuard guard = new LoopGuard();

    @Activate
    public MqttConnectorType(Map<String, Object> props) {
        this.tenant = String.valueOf(props.get("tenant"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String connectorSchema() {
        return resource("connector-schema.json");
    }

    @Override
    public String actionSchema() {
        return resource("action-schema.json");
    }

    @Override
    public String sourceSchema() {
        return resource("source-schema.json");
    }

    @Override
    public Connector open(ConnectorContext context, Map<String, Object> config) {
        ConnectorSettings settings = ConnectorSettings.from(config);
        if (settings.ssl().enable()) {
            settings.ssl().socketFactory(settings.host()); // files and keys checked now, with the field named
        }
        return new MqttConnector(context, settings, guard);
    }

    String tenant() {
        return tenant;
    }

    static String resource(String name) {
        try (InputStream in = MqttConnectorType.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
