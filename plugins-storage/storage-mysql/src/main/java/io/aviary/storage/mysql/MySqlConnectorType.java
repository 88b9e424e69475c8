package io.aviary.storage.mysql;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.ConnectorType;
import io.aviary.storage.sql.DriverDataSource;
import io.aviary.storage.sql.JdbcConnector;
import io.aviary.storage.sql.JdbcDrivers;
import io.aviary.storage.sql.Resources;
import io.aviary.storage.sql.SqlConnectorConfig;
import java.util.Map;
import java.util.Properties;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The connector type {@code mysql} for one tenant that enabled storage-mysql: EMQX 5's MySQL
 * connector fields, connected with the MariaDB JDBC driver (it speaks to MySQL and MariaDB).
 * The driver object is made here, not found through DriverManager (see DriverDataSource).
 */
@Component(configurationPid = "storage-mysql", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectorType.class, property = ConnectorType.TYPE_PROPERTY + "=mysql")
public final class MySqlConnectorType implements ConnectorType {
    static final int DEFAULT_PORT = 3306;
    private static final String CONNECTOR_SCHEMA = Resources.text(MySqlConnectorType.class, "mysql-connector.json");
    private static final String ACTION_SCHEMA = Resources.text(MySqlConnectorType.class, "mysql-action.json");

    @Override
    public String type() {
        return "mysql";
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
        SqlConnectorConfig settings = SqlConnectorConfig.from(config, DEFAULT_PORT, "root");
        return new JdbcConnector(context, settings, dataSource(settings));
    }

    static DriverDataSource dataSource(SqlConnectorConfig settings) {
        Properties p = new Properties();
        p.setProperty("user", settings.username());
        if (settings.password() != null) {
            p.setProperty("password", settings.password());
        }
        p.setProperty("connectTimeout", "3000");
        p.setProperty("socketTimeout", "30000");
        // rows arrive as parameters only; never let the server ask for a client file
        p.setProperty("allowLocalInfile", "false");
        if (settings.sslEnabled()) {
            p.setProperty("sslMode", settings.sslVerify() ? "verify-full" : "trust");
            if (settings.sslCaCertFile() != null) {
                p.setProperty("serverSslCert", settings.sslCaCertFile());
            }
        } else {
            p.setProperty("sslMode", "disable");
        }
        String url = "jdbc:mariadb://" + settings.server().host() + ":" + settings.server().port() + "/"
                + settings.database();
        return new DriverDataSource(new org.mariadb.jdbc.Driver(), url, p);
    }

    /** The driver class registers itself with DriverManager when loaded; undo that so the bundle can go. */
    @Deactivate
    void deactivate() {
        JdbcDrivers.deregisterLoadedBy(MySqlConnectorType.class.getClassLoader());
    }
}
