package io.aviary.auth.pgsql;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.auth.sql.SqlAuthSettings;
import io.aviary.auth.sql.SqlAuthenticator;
import io.aviary.auth.sql.pgsql.PgSource;
import io.aviary.storage.sql.JdbcDrivers;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One tenant's instance of auth-pgsql (EMQX's {@code password_based:postgresql}): the shared SQL
 * authenticator of sql-auth-support over the pgjdbc. See SqlAuthenticator for what it answers.
 */
@Component(configurationPid = "auth-pgsql", configurationPolicy = ConfigurationPolicy.REQUIRE, service = Authenticator.class)
public final class PgsqlAuthenticator implements Authenticator {
    private final SqlAuthenticator authenticator;

    @Activate
    public PgsqlAuthenticator(Map<String, Object> props) {
        SqlAuthSettings settings = SqlAuthSettings.from(props, SqlAuthSettings.Dialect.POSTGRESQL, true);
        this.authenticator = new SqlAuthenticator("auth-pgsql", String.valueOf(props.get("tenant")), settings,
                PgSource.of(settings));
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        return authenticator.authenticate(request);
    }

    /** Closes the pool; the driver class registered itself with DriverManager when loaded: undo that so the bundle can go. */
    @Deactivate
    void deactivate() {
        authenticator.close();
        JdbcDrivers.deregisterLoadedBy(PgsqlAuthenticator.class.getClassLoader());
    }
}
