package io.aviary.bridge.http;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.ConnectorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * EMQX's connector type "http" (webhooks), one service per tenant that enabled the plugin: the
 * integration runtime opens an {@link HttpConnector} per connector and asks it for an
 * {@link HttpSink} per action. Its JSON Schemas are resources of this bundle.
 */
@Component(configurationPid = "bridge-http", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectorType.class, property = ConnectorType.TYPE_PROPERTY + "=http")
public final class HttpConnectorType implements ConnectorType {

    private static final String CONNECTOR_SCHEMA = resource("schemas/http-connector.json");
    private static final String ACTION_SCHEMA = resource("schemas/http-action.json");

    @Override
    public String type() {
        return "http";
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
        return HttpConnector.open(context, config);
    }

    private static String resource(String name) {
        try (InputStream in = HttpConnectorType.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundle resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
