package io.aviary.auth.sql;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.auth.builtin.hash.PasswordHasher;
import io.aviary.storage.sql.SqlErrors;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's {@code password_based:mysql} / {@code password_based:postgresql} for one tenant, whatever
 * the database: the query finds the client's row, the password is checked against its
 * password_hash and salt with password_hash_algorithm. As EMQX: no row ignores (the next
 * authenticator decides), a wrong password (or a NULL hash) denies with 0x86 Bad User Name or
 * Password (so does a row for a client that sent no password), and a database that fails, is
 * down or slow ignores, within query_timeout. MQTT 5 enhanced authentication is not this
 * authenticator's.
 * The plugin's component wraps it; it logs as "&lt;plugin&gt;: tenant=... client=...", never a password.
 */
public final class SqlAuthenticator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqlAuthenticator.class);

    private final String plugin;
    private final String tenant;
    private final SqlAuthSettings settings;
    private final SqlLookup lookup;

    public SqlAuthenticator(String plugin, String tenant, SqlAuthSettings settings, DataSource driver) {
        this.plugin = plugin;
        this.tenant = tenant;
        this.settings = settings;
        this.lookup = new SqlLookup(plugin + "-" + tenant, settings, driver, 1);
        LOG.info("{}: tenant={} enabled ({} as {}, database {}, pool {}{})", plugin, tenant,
                settings.connection().server(), settings.connection().username(), settings.connection().database(),
                settings.connection().poolSize(), settings.connection().sslEnabled() ? ", TLS" : "");
    }

    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        if (request.authMethod() != null) {
            return CompletableFuture.completedFuture(AuthResult.ignore());
        }
        String client = request.client().clientId();
        return lookup.rows(Placeholders.of(request.client(), request.username()))
                .handle((rows, failure) -> failure != null ? failed(client, failure) : decide(client, rows, request));
    }

    private AuthResult decide(String client, List<Map<String, Object>> rows, AuthRequest request) {
        if (rows.isEmpty()) {
            return AuthResult.ignore();
        }
        UserRow user;
        try {
            user = UserRow.of(rows.get(0));
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: tenant={} client={} ignored: {}", plugin, tenant, client, e.getMessage());
            return AuthResult.ignore();
        }
        if (!PasswordHasher.check(settings.algorithm(), user.passwordHash(), user.salt(), request.password())) {
            LOG.info("{}: tenant={} client={} refused: wrong password", plugin, tenant, client);
            return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, plugin + ": bad username or password");
        }
        return AuthResult.allow(user.superuser());
    }

    private AuthResult failed(String client, Throwable failure) {
        LOG.warn("{}: tenant={} client={} ignored: the database failed: {}", plugin, tenant, client, describe(failure,
                settings.queryTimeoutMs()));
        return AuthResult.ignore();
    }

    static String describe(Throwable failure, long timeoutMs) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return "no answer within query_timeout (" + timeoutMs + " ms)";
        }
        return SqlErrors.describe(cause);
    }

    @Override
    public void close() {
        lookup.close();
        LOG.info("{}: tenant={} disabled", plugin, tenant);
    }
}
