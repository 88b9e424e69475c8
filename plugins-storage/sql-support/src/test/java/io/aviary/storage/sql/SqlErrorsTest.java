package io.aviary.storage.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.Test;

/**
 * The classification table by SQLState, for the states the real-server tests cannot provoke on
 * demand (the plugins' tests cover deadlock, refused, lost connection, missing table, constraint,
 * data too long and authentication against real servers). The exceptions are built with the
 * states and texts the drivers use.
 */
public class SqlErrorsTest {

    @Test
    public void connectionRollbackResourceAndShutdownStatesAreRetried() {
        for (String state : new String[] {"08006", "08S01", "40001", "40P01", "53300", "55P03", "57P01", "57014", "58030", "HYT00", "XX000"}) {
            assertTrue(state, SqlErrors.classify(new SQLException("x", state)).retryable());
        }
    }

    @Test
    public void statementAndDataStatesAreFatal() {
        for (String state : new String[] {"42P01", "42S02", "42703", "23505", "23000", "22001", "28P01", "28000", "0A000", "21000"}) {
            assertFalse(state, SqlErrors.classify(new SQLException("x", state)).retryable());
        }
    }

    @Test
    public void mysqlCatchAllStateIsRetriedOnlyForTransientCodes() {
        assertTrue(SqlErrors.classify(new SQLException("Lock wait timeout exceeded", "HY000", 1205)).retryable());
        assertTrue(SqlErrors.classify(new SQLException("running with --read-only", "HY000", 1290)).retryable());
        assertFalse(SqlErrors.classify(new SQLException("Field 'x' doesn't have a default value", "HY000", 1364)).retryable());
    }

    @Test
    public void aPoolTimeoutReportsTheDriversErrorUnderneath() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:1 refused.", "08001");
        SQLTransientConnectionException pool = new SQLTransientConnectionException(
                "aviary-t1-pgsql:c1 - Connection is not available, request timed out after 3000ms", "08001", refused);
        assertEquals("Connection to 127.0.0.1:1 refused.", SqlErrors.describe(pool));
        assertTrue(SqlErrors.classify(pool).retryable());
    }

    @Test
    public void aPoolTimeoutWithoutCauseIsRetried() {
        SQLTransientConnectionException pool = new SQLTransientConnectionException(
                "p - Connection is not available, request timed out after 3000ms (total=2, active=2, idle=0)");
        assertTrue(SqlErrors.classify(pool).retryable());
    }

    @Test
    public void aBatchFailureReportsTheServersErrorNotTheBatchSummary() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 insert into x values ('secret') was aborted", "42P01", 0, new int[0]);
        batch.setNextException(new SQLException("ERROR: relation \"x\" does not exist", "42P01"));
        assertEquals("ERROR: relation \"x\" does not exist", SqlErrors.describe(batch));
        assertFalse(SqlErrors.classify(batch).retryable());
    }

    @Test
    public void aValueTheDriverCannotBindIsFatal() {
        assertFalse(SqlErrors.classify(new IllegalArgumentException("bad value")).retryable());
    }
}
