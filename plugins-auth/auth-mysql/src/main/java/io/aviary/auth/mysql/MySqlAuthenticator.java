package io.aviary.auth.mysql;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.auth.sql.SqlAuthSettings;
import io.aviary.auth.sql.SqlAuthenticator;
import io.aviary.auth.sql.mysql.MySqlSource;
import io.aviary.storage.sql.JdbcDrivers;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One tenant's instance of auth-mysql (EMQX's {@code password_based:mysql}): the shared SQL
 * authenticator of sql-auth-support over the MariaDB JDBC driver. See SqlAuthenticator for what it answers.
 */
@Component(configurationPid = "auth-mysql", configurationPolicy = ConfigurationPolicy.REQUIRE, service = Authenticator.class)
public final class MySqlAuthenticator implements Authenticator {
    private final SqlAuthenticator authenticator;

    @Activate
    public MySqlAuthenticator(Map<String, Object> props) {
        SqlAuthSettings settings = SqlAuthSettings.from(props, SqlAuthSettings.Dialect.MYSQL, true);
        this.authenticator = new SqlAuthenticator("auth-mysql", String.valueOf(props.get("tenant")), settings,
                MySqlSource.of(settings));
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        return authenticator.authenticate(request);
    }

    /** Closes the pool; the driver class registered itself with DriverManager when loaded: undo that so the bundle can go. */
    @Deactivate
    void deactivate() {
        authenticator.close();
        JdbcDrivers.deregisterLoadedBy(MySqlAuthenticator.class.getClassLoader());
    }
}
