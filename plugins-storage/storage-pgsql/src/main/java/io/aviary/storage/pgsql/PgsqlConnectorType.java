package io.aviary.storage.pgsql;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.ConnectorType;
import io.aviary.storage.sql.JdbcDrivers;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/** The connector type {@code pgsql} (EMQX 5's PostgreSQL connector) for one tenant that enabled storage-pgsql. */
@Component(configurationPid = "storage-pgsql", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectorType.class, property = ConnectorType.TYPE_PROPERTY + "=pgsql")
public final class PgsqlConnectorType implements ConnectorType {

    @Override
    public String type() {
        return "pgsql";
    }

    @Override
    public String connectorSchema() {
        return PgsqlConnectors.CONNECTOR_SCHEMA;
    }

    @Override
    public String actionSchema() {
        return PgsqlConnectors.ACTION_SCHEMA;
    }

    @Override
    public String sourceSchema() {
        return null;
    }

    @Override
    public Connector open(ConnectorContext context, Map<String, Object> config) {
        return PgsqlConnectors.open(context, config);
    }

    /** The driver class registers itself with DriverManager when loaded; undo that so the bundle can go. */
    @Deactivate
    void deactivate() {
        JdbcDrivers.deregisterLoadedBy(PgsqlConnectorType.class.getClassLoader());
    }
}
