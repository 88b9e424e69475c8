package io.aviary.auth.sql;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's {@code mysql} / {@code postgresql} authorization source for one tenant, whatever the
 * database: a PUBLISH or SUBSCRIBE the broker has not cached an answer for runs the query for
 * the client, and its rows are the client's rules (see {@link AclRows}): first match wins, no
 * match ignores (the next source, or no_match, decides). A database that fails, is down or slow
 * ignores too, within query_timeout, as EMQX's nomatch. At most {@link #MAX_ROWS} rows are read.
 */
public final class SqlAuthorizer implements AutoCloseable {
    static final int MAX_ROWS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(SqlAuthorizer.class);

    private final String plugin;
    private final String tenant;
    private final SqlAuthSettings settings;
    private final SqlLookup lookup;

    public SqlAuthorizer(String plugin, String tenant, SqlAuthSettings settings, DataSource driver) {
        this.plugin = plugin;
        this.tenant = tenant;
        this.settings = settings;
        this.lookup = new SqlLookup(plugin + "-" + tenant, settings, driver, MAX_ROWS);
        LOG.info("{}: tenant={} enabled ({} as {}, database {}, pool {}{})", plugin, tenant,
                settings.connection().server(), settings.connection().username(), settings.connection().database(),
                settings.connection().poolSize(), settings.connection().sslEnabled() ? ", TLS" : "");
    }

    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        return lookup.rows(Placeholders.of(client, client.username())).handle((rows, failure) -> {
            if (failure != null) {
                LOG.warn("{}: tenant={} client={} topic={} ignored: the database failed: {}", plugin, tenant,
                        client.clientId(), topic, SqlAuthenticator.describe(failure, settings.queryTimeoutMs()));
                return Decision.IGNORE;
            }
            return decide(rows, client, action, topic, qos, retain);
        });
    }

    private Decision decide(List<Map<String, Object>> rows, ClientInfo client, Action action, String topic, int qos,
                            boolean retain) {
        AclRows.Rules rules = AclRows.of(rows);
        if (!rules.skipped().isEmpty()) {
            LOG.warn("{}: tenant={} client={} rows skipped: {}", plugin, tenant, client.clientId(),
                    String.join("; ", rules.skipped()));
        }
        return rules.acl().decide(client, action, topic, qos, retain);
    }

    @Override
    public void close() {
        lookup.close();
        LOG.info("{}: tenant={} disabled", plugin, tenant);
    }
}
