package io.aviary.auth.sql.pgsql;

import io.aviary.auth.sql.SqlAuthSettings;
import io.aviary.storage.sql.DriverDataSource;
import io.aviary.storage.sql.SqlConnectorConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * pgjdbc for an auth-pgsql or authz-pgsql instance. The placeholders' values always travel in
 * the extended protocol's Bind message, apart from the query text (disable_prepared_statements
 * only stops the server from keeping the plan: prepareThreshold=0). Text parameters are typed by
 * the server from where they are used, so {@code WHERE id = ${clientid}} works on an integer column.
 */
public final class PgSource {
    private PgSource() {
    }

    public static DriverDataSource of(SqlAuthSettings settings) {
        SqlConnectorConfig c = settings.connection();
        Properties p = new Properties();
        p.setProperty("user", c.username());
        if (c.password() != null) {
            p.setProperty("password", c.password());
        }
        long timeoutS = Math.max(1, settings.queryTimeoutMs() / 1000);
        p.setProperty("ApplicationName", "aviary-auth");
        p.setProperty("connectTimeout", Long.toString(Math.min(timeoutS, 3)));
        p.setProperty("loginTimeout", Long.toString(Math.min(timeoutS, 3)));
        p.setProperty("socketTimeout", Long.toString(timeoutS + 1));
        p.setProperty("stringtype", "unspecified");
        p.setProperty("preferQueryMode", "extended");
        if (settings.disablePreparedStatements()) {
            p.setProperty("prepareThreshold", "0");
        }
        if (c.sslEnabled()) {
            p.setProperty("ssl", "true");
            p.setProperty("sslmode", c.sslVerify() ? "verify-full" : "require");
            if (c.sslCaCertFile() != null) {
                p.setProperty("sslrootcert", c.sslCaCertFile());
            }
        } else {
            p.setProperty("sslmode", "disable");
        }
        String url = "jdbc:postgresql://" + c.server().host() + ":" + c.server().port() + "/"
                + URLEncoder.encode(c.database(), StandardCharsets.UTF_8);
        return new DriverDataSource(new org.postgresql.Driver(), url, p);
    }
}
