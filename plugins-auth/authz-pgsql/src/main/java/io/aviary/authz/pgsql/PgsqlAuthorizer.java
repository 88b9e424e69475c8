package io.aviary.authz.pgsql;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.sql.SqlAuthSettings;
import io.aviary.auth.sql.SqlAuthorizer;
import io.aviary.auth.sql.pgsql.PgSource;
import io.aviary.storage.sql.JdbcDrivers;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One tenant's instance of authz-pgsql (EMQX's {@code postgresql} authorization source): the
 * shared SQL authorizer of sql-auth-support over the pgjdbc. See SqlAuthorizer for what it answers.
 */
@Component(configurationPid = "authz-pgsql", configurationPolicy = ConfigurationPolicy.REQUIRE, service = Authorizer.class)
public final class PgsqlAuthorizer implements Authorizer {
    private final SqlAuthorizer authorizer;

    @Activate
    public PgsqlAuthorizer(Map<String, Object> props) {
        SqlAuthSettings settings = SqlAuthSettings.from(props, SqlAuthSettings.Dialect.POSTGRESQL, false);
        this.authorizer = new SqlAuthorizer("authz-pgsql", String.valueOf(props.get("tenant")), settings, PgSource.of(settings));
    }

    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        return authorizer.authorize(client, action, topic, qos, retain);
    }

    /** Closes the pool; the driver class registered itself with DriverManager when loaded: undo that so the bundle can go. */
    @Deactivate
    void deactivate() {
        authorizer.close();
        JdbcDrivers.deregisterLoadedBy(PgsqlAuthorizer.class.getClassLoader());
    }
}
