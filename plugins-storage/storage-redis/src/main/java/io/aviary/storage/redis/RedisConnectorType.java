package io.aviary.storage.redis;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.ConnectorType;
import io.aviary.plugin.client.ConfigValues;
import io.aviary.redis.support.RedisSettings;
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

/** The "redis" connector type of one tenant that enabled storage-redis (EMQX 5's redis connector and action). */
@Component(configurationPid = "storage-redis", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectorType.class, property = ConnectorType.TYPE_PROPERTY + "=redis")
public final class RedisConnectorType implements ConnectorType {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnectorType.class);
    static final String CONNECTOR_SCHEMA = resource("/connector-schema.json");
    static final String ACTION_SCHEMA = resource("/action-schema.json");

    @Activate
    public RedisConnectorType(Map<String, Object> props) {
        LOG.info("storage-redis: tenant={} enabled", props.get("tenant"));
    }

    @Override
    public String type() {
        return "redis";
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
        return new RedisConnector(context, RedisSettings.from(ConfigValues.object(config, "parameters"), ConfigValues.object(config, "ssl"),
                "parameters.", RedisSettings.DEFAULT_TIMEOUT_MS, false));
    }

    private static String resource(String name) {
        try (InputStream in = RedisConnectorType.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
