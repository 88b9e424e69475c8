package io.aviary.storage.sql;

import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import io.aviary.api.rules.SqlTemplate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQL action: its insert template as one prepared statement, every record of a batch bound as
 * parameters (addBatch) and executed at once (executeBatch) in one transaction, so a batch lands
 * whole or not at all. Values are never spliced into the SQL text.
 */
final class JdbcSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);

    private final String tenant;
    private final String actionId;
    private final SqlTemplate template;
    private final DataSource pool;
    private final Executor writers;

    JdbcSink(String tenant, String actionId, SqlTemplate template, DataSource pool, Executor writers) {
        this.tenant = tenant;
        this.actionId = actionId;
        this.template = template;
        this.pool = pool;
        this.writers = writers;
    }

    @Override
    public CompletionStage<Void> send(List<Map<String, Object>> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            writers.execute(() -> {
                try {
                    write(records);
                    done.complete(null);
                } catch (Throwable t) {
                    SinkException e = SqlErrors.classify(t);
                    LOG.warn("sql action: tenant={} action={} batch of {} failed ({}): {}", tenant, actionId,
                            records.size(), e.retryable() ? "will retry" : "not retried", e.getMessage());
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(SinkException.retryable("the connector is closed", e));
        }
        return done;
    }

    void write(List<Map<String, Object>> records) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(template.statement())) {
                for (Map<String, Object> record : records) {
                    bind(statement, template.parameters(record));
                    statement.addBatch();
                }
                statement.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            int index = i + 1;
            if (value == null) {
                statement.setNull(index, Types.NULL);
            } else if (value instanceof Long l) {
                statement.setLong(index, l);
            } else if (value instanceof Integer n) {
                statement.setInt(index, n);
            } else if (value instanceof Double d) {
                statement.setDouble(index, d);
            } else if (value instanceof Boolean b) {
                statement.setBoolean(index, b);
            } else {
                statement.setString(index, value.toString());
            }
        }
    }

    /**
     * Asks the server to parse the statement once, when the action is created, so that a missing
     * table or column is in the log at once rather than at the first message. Only logs: the
     * server may be down now, and every batch reports the same error anyway.
     */
    void validate() {
        try (Connection connection = pool.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(template.statement())) {
                statement.getParameterMetaData();
            } finally {
                rollbackQuietly(connection);
            }
            LOG.info("sql action: tenant={} action={} statement accepted by the server: {}", tenant, actionId,
                    template.statement());
        } catch (SQLException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // the connector closed meanwhile
            }
            LOG.warn("sql action: tenant={} action={} statement not accepted by the server: {}", tenant, actionId,
                    SqlErrors.describe(e));
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool drops it
        }
    }
}
