package io.aviary.storage.sql;

import io.aviary.api.integration.SinkException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Turns a JDBC failure into what the integration runtime needs: the server's own words, and whether
 * sending the batch again can succeed. The SQLState class decides (SQL standard, used by MariaDB and
 * PostgreSQL alike): 08 connection, 40 rollback (deadlock, serialization), 53 out of resources,
 * 55 lock not available, 57 operator intervention (shutdown, statement timeout) and 58 system error
 * are retried; 42 (syntax, missing table or column), 23 (constraint), 22 (data too long, bad value),
 * 28 (authorization) and every other class are not. With no state, the exception's JDBC type says
 * it (a pool timeout is transient).
 */
public final class SqlErrors {
    private static final Set<String> RETRYABLE_CLASSES = Set.of("08", "40", "53", "55", "57", "58", "HYT", "XX");
    /** MariaDB/MySQL errors reported with the catch-all state HY000 that pass by themselves. */
    private static final Set<Integer> RETRYABLE_MYSQL_CODES = Set.of(
            1205, // lock wait timeout
            1206, // lock table full
            1290, // server running with --read-only (fail-over in progress)
            1637); // too many active concurrent transactions
    private static final String HIKARI_TIMEOUT = "Connection is not available, request timed out";

    private SqlErrors() {
    }

    public static SinkException classify(Throwable failure) {
        if (failure instanceof SinkException s) {
            return s;
        }
        SQLException sql = mostSpecific(failure);
        if (sql == null) {
            // not from the database: a value the driver cannot bind (a bad template result)
            return SinkException.fatal(describe(failure), failure);
        }
        return retryable(sql) ? SinkException.retryable(describe(failure), failure)
                : SinkException.fatal(describe(failure), failure);
    }

    /** The database's own message ("Table 'aviary.missing' doesn't exist", "Connection refused"). */
    public static String describe(Throwable failure) {
        SQLException sql = mostSpecific(failure);
        Throwable chosen = sql != null ? sql : failure;
        if (sql != null && sql.getMessage() != null && sql.getMessage().contains(HIKARI_TIMEOUT)) {
            Throwable root = sql;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            chosen = root;
        }
        String message = chosen.getMessage();
        if (message == null || message.isBlank()) {
            message = chosen.getClass().getSimpleName();
        }
        return message.strip();
    }

    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.length() >= 2) {
            String cls = state.substring(0, 2);
            if (state.startsWith("HYT") || RETRYABLE_CLASSES.contains(cls)) {
                return true;
            }
            if (state.equals("HY000") && RETRYABLE_MYSQL_CODES.contains(e.getErrorCode())) {
                return true;
            }
            if (!state.equals("HY000") && !state.startsWith("S1")) {
                return false;
            }
        }
        return e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || e instanceof java.sql.SQLNonTransientConnectionException;
    }

    /**
     * The exception that names the real problem: the next exception of a batch failure (PostgreSQL
     * puts the server's error there), else the innermost SQLException that has a state (the
     * driver's error under HikariCP's "request timed out" wrapper).
     */
    static SQLException mostSpecific(Throwable failure) {
        SQLException best = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BatchUpdateException b && b.getNextException() != null) {
                return b.getNextException();
            }
            if (t instanceof SQLException s && (best == null || s.getSQLState() != null)) {
                best = s;
            }
        }
        return best;
    }
}
