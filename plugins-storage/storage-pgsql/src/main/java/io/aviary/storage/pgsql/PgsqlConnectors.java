package io.aviary.storage.pgsql;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.storage.sql.ConfigValues;
import io.aviary.storage.sql.DriverDataSource;
import io.aviary.storage.sql.JdbcConnector;
import io.aviary.storage.sql.Resources;
import io.aviary.storage.sql.SqlConnectorConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * What the pgsql and timescale connector types share: the schemas, and a connector over pgjdbc.
 * The driver object is made here, not found through DriverManager (see DriverDataSource).
 */
final class PgsqlConnectors {
    static final int DEFAULT_PORT = 5432;
    static final String CONNECTOR_SCHEMA = Resources.text(PgsqlConnectors.class, "pgsql-connector.json");
    static final String ACTION_SCHEMA = Resources.text(PgsqlConnectors.class, "pgsql-action.json");

    private PgsqlConnectors() {
    }

    static Connector open(ConnectorContext context, Map<String, Object> config) {
        SqlConnectorConfig settings = SqlConnectorConfig.from(config, DEFAULT_PORT, null);
        String applicationName = ConfigValues.string(config, "application_name", "aviary");
        boolean noPrepared = ConfigValues.bool(config, "disable_prepared_statements", false);
        return new JdbcConnector(context, settings, dataSource(settings, applicationName, noPrepared));
    }

    static DriverDataSource dataSource(SqlConnectorConfig settings, String applicationName, boolean noPrepared) {
        Properties p = new Properties();
        p.setProperty("user", settings.username());
        if (settings.password() != null) {
            p.setProperty("password", settings.password());
        }
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("connectTimeout", "3");
        p.setProperty("loginTimeout", "3");
        p.setProperty("socketTimeout", "30");
        // a batch of single-row inserts goes to the server as multi-row inserts
        p.setProperty("reWriteBatchedInserts", "true");
        // text parameters are typed by the server from where they are used (as EMQX's prepared
        // statements are), so "21.5" from a JSON payload fits a numeric column
        p.setProperty("stringtype", "unspecified");
        if (noPrepared) {
            p.setProperty("prepareThreshold", "0");
        }
        if (settings.sslEnabled()) {
            p.setProperty("ssl", "true");
            p.setProperty("sslmode", settings.sslVerify() ? "verify-full" : "require");
            if (settings.sslCaCertFile() != null) {
                p.setProperty("sslrootcert", settings.sslCaCertFile());
            }
        } else {
            p.setProperty("sslmode", "disable");
        }
        String url = "jdbc:postgresql://" + settings.server().host() + ":" + settings.server().port() + "/"
                + URLEncoder.encode(settings.database(), StandardCharsets.UTF_8);
        return new DriverDataSource(new org.postgresql.Driver(), url, p);
    }
}
