package io.aviary.auth.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Runs one instance's query for a client: a HikariCP pool of pool_size connections and pool_size
 * threads of its own, because JDBC blocks and the broker calls authenticators and authorizers on
 * its event loops. Every lookup is bounded: at most {@link #QUEUE} wait for a thread (more fail at
 * once), a connection is waited for at most the query timeout, the statement carries the timeout,
 * the returned stage fails when the timeout passes whatever the driver does, and a lookup whose
 * time ran out while it was queued is dropped unrun. Rows come back
 * as maps keyed by lower-case column label, at most {@code maxRows} of them.
 */
public final class SqlLookup implements AutoCloseable {
    static final int QUEUE = 1024;

    private final HikariDataSource pool;
    private final ThreadPoolExecutor threads;
    private final QueryTemplate query;
    private final long timeoutMs;
    private final int maxRows;

    public SqlLookup(String name, SqlAuthSettings settings, DataSource driver, int maxRows) {
        this.query = settings.query();
        this.timeoutMs = settings.queryTimeoutMs();
        this.maxRows = maxRows;
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("aviary-" + name);
        hikari.setDataSource(driver);
        hikari.setMaximumPoolSize(settings.connection().poolSize());
        hikari.setMinimumIdle(settings.connection().poolSize());
        hikari.setReadOnly(true);
        // a little under the lookup's own bound, so a server that refuses connections is reported
        // in its own words (connection refused) rather than as a bare timeout
        hikari.setConnectionTimeout(Math.max(250, timeoutMs - 200));
        hikari.setValidationTimeout(Math.max(250, Math.min(2_000, timeoutMs)));
        hikari.setInitializationFailTimeout(-1); // start without the server; connect in the background
        this.pool = new HikariDataSource(hikari);
        AtomicInteger n = new AtomicInteger();
        int size = settings.connection().poolSize();
        this.threads = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "aviary-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The rows for these placeholder values; fails (SQLException, timeout, rejection) rather than waits. */
    public CompletionStage<List<Map<String, Object>>> rows(Map<String, String> values) {
        List<String> parameters = query.bind(values);
        CompletableFuture<List<Map<String, Object>>> result = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                if (result.isDone()) {
                    return; // timed out while queued: its client has its answer; spare a struggling database
                }
                try {
                    result.complete(run(parameters));
                } catch (SQLException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new SQLException("too many lookups waiting (" + QUEUE + ")", "53000", e));
        }
        return result.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private List<Map<String, Object>> run(List<String> parameters) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(query.sql())) {
            s.setQueryTimeout((int) Math.max(1, (timeoutMs + 999) / 1000));
            s.setMaxRows(maxRows);
            for (int i = 0; i < parameters.size(); i++) {
                s.setString(i + 1, parameters.get(i));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                ResultSetMetaData meta = r.getMetaData();
                while (r.next() && rows.size() < maxRows) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int k = 1; k <= meta.getColumnCount(); k++) {
                        row.put(meta.getColumnLabel(k).toLowerCase(Locale.ROOT), r.getObject(k));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        pool.close();
    }
}
