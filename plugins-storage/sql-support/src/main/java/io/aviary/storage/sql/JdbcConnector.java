package io.aviary.storage.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.rules.SqlTemplate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MySQL or PostgreSQL connector: a HikariCP pool of pool_size connections over the driver the
 * plugin made, and pool_size writer threads (JDBC blocks), shared by every action that names it.
 * The pool connects in the background, so creating a connector never waits for the server;
 * {@link #check} runs on its own thread so that a health check is not queued behind writes stuck
 * on a dead server, and reports the server's own error.
 */
public final class JdbcConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcConnector.class);
    /** How long a write or check waits for a pooled connection before it fails (and is retried). */
    static final long CONNECTION_TIMEOUT_MS = 3_000;
    static final int CHECK_QUERY_TIMEOUT_S = 3;

    private final ConnectorContext context;
    private final HikariDataSource pool;
    private final ExecutorService writers;
    private final ExecutorService checker;
    private final AtomicReference<String> lastError = new AtomicReference<>("");

    public JdbcConnector(ConnectorContext context, SqlConnectorConfig config, DataSource driver) {
        this.context = context;
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("aviary-" + context.tenant() + "-" + context.connectorId());
        hikari.setDataSource(driver);
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(config.poolSize());
        hikari.setAutoCommit(false);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        hikari.setValidationTimeout(2_000);
        hikari.setInitializationFailTimeout(-1); // start without the server; connect in the background
        this.pool = new HikariDataSource(hikari);
        this.writers = Executors.newFixedThreadPool(config.poolSize(), threads(context.connectorId() + "-write"));
        this.checker = Executors.newSingleThreadExecutor(threads(context.connectorId() + "-check"));
        LOG.info("sql connector: tenant={} connector={} opened ({} as {}, database {}, pool {}{})", context.tenant(),
                context.connectorId(), config.server(), config.username(), config.database(), config.poolSize(),
                config.sslEnabled() ? ", TLS" : "");
    }

    @Override
    public CompletionStage<Health> check() {
        return CompletableFuture.supplyAsync(this::checkNow, checker);
    }

    private Health checkNow() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(CHECK_QUERY_TIMEOUT_S);
            statement.execute("SELECT 1");
            connection.rollback();
            if (!lastError.getAndSet("").isEmpty()) {
                LOG.info("sql connector: tenant={} connector={} connected", context.tenant(), context.connectorId());
            }
            return Health.connected();
        } catch (SQLException | RuntimeException e) {
            String error = SqlErrors.describe(e);
            if (!error.equals(lastError.getAndSet(error))) {
                LOG.warn("sql connector: tenant={} connector={} disconnected: {}", context.tenant(),
                        context.connectorId(), error);
            }
            return Health.disconnected(error);
        }
    }

    @Override
    public Sink sink(String actionId, Map<String, Object> parameters) {
        String sql = ConfigValues.string(parameters, "sql", null);
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("parameters.sql: is required");
        }
        SqlTemplate template;
        try {
            template = context.templates().sql(sql);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameters.sql: " + e.getMessage(), e);
        }
        JdbcSink sink = new JdbcSink(context.tenant(), actionId, template, pool, writers);
        checker.execute(sink::validate);
        return sink;
    }

    /** The pool, for tests that look at what a batch did. */
    DataSource pool() {
        return pool;
    }

    @Override
    public void close() {
        writers.shutdownNow();
        checker.shutdownNow();
        pool.close();
        LOG.info("sql connector: tenant={} connector={} closed", context.tenant(), context.connectorId());
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "aviary-sql-" + prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
