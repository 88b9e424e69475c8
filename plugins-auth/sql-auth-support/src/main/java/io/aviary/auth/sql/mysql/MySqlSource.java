package io.aviary.auth.sql.mysql;

import io.aviary.auth.sql.SqlAuthSettings;
import io.aviary.storage.sql.DriverDataSource;
import io.aviary.storage.sql.SqlConnectorConfig;
import java.util.Properties;

/**
 * The MariaDB JDBC driver (it speaks to MySQL and MariaDB) for an auth-mysql or authz-mysql
 * instance. Server-side prepared statements (useServerPrepStmts) send the placeholders' values
 * apart from the query text; TINYINT(1) columns read as numbers (EMQX's example tables keep qos
 * and retain in them); the server may never ask for a client file.
 */
public final class MySqlSource {
    private MySqlSource() {
    }

    public static DriverDataSource of(SqlAuthSettings settings) {
        SqlConnectorConfig c = settings.connection();
        Properties p = new Properties();
        p.setProperty("user", c.username());
        if (c.password() != null) {
            p.setProperty("password", c.password());
        }
        long timeout = settings.queryTimeoutMs();
        p.setProperty("connectTimeout", Long.toString(Math.min(timeout, 3_000)));
        p.setProperty("socketTimeout", Long.toString(timeout + 1_000));
        p.setProperty("useServerPrepStmts", "true");
        p.setProperty("cachePrepStmts", "true");
        p.setProperty("tinyInt1isBit", "false");
        p.setProperty("allowLocalInfile", "false");
        p.setProperty("allowMultiQueries", "false");
        if (c.sslEnabled()) {
            p.setProperty("sslMode", c.sslVerify() ? "verify-full" : "trust");
            if (c.sslCaCertFile() != null) {
                p.setProperty("serverSslCert", c.sslCaCertFile());
            }
        } else {
            p.setProperty("sslMode", "disable");
        }
        String url = "jdbc:mariadb://" + c.server().host() + ":" + c.server().port() + "/" + c.database();
        return new DriverDataSource(new org.mariadb.jdbc.Driver(), url, p);
    }
}
