package io.aviary.storage.mysql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * storage-mysql against the real MariaDB of scripts/services.sh: batches land as rows, hostile
 * values land verbatim, and each kind of failure is classified as the runtime needs it.
 */
public class MySqlSinkTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final String INSERT = "insert into %s(msgid, topic, qos, payload, arrived) "
            + "values (${id}, ${topic}, ${qos}, ${payload}, FROM_UNIXTIME(${timestamp}/1000))";

    private final List<Connector> opened = new ArrayList<>();
    private String table;

    @Before
    public void createTable() throws SQLException {
        table = "t_mqtt_msg_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
        MariaDbServer.execute("create table " + table + " (id int auto_increment primary key, msgid varchar(64) unique,"
                + " topic varchar(255), qos tinyint, payload varchar(255), arrived datetime(3))");
    }

    @After
    public void dropTable() throws SQLException {
        opened.forEach(Connector::close);
        MariaDbServer.execute("drop table if exists " + table);
    }

    private Connector open(Map<String, Object> config) {
        Connector connector = new MySqlConnectorType().open(MariaDbServer.context("mysql:c1"), config);
        opened.add(connector);
        return connector;
    }

    private Sink sink(Connector connector, String sql) {
        return connector.sink("mysql:a1", Map.of("sql", sql));
    }

    private static Map<String, Object> record(String id, String payload) {
        Map<String, Object> r = new HashMap<>();
        r.put("id", id);
        r.put("topic", "sensors/" + id);
        r.put("qos", 1L);
        r.put("payload", payload);
        r.put("timestamp", 1_700_000_000_123L);
        return r;
    }

    private static SinkException failure(Sink sink, List<Map<String, Object>> batch) throws Exception {
        try {
            sink.send(batch).toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue("a SinkException, not " + e.getCause(), e.getCause() instanceof SinkException);
            return (SinkException) e.getCause();
        }
        fail("the batch was accepted");
        return null;
    }

    private int count(String where) throws SQLException {
        try (Connection c = MariaDbServer.connect();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table + " " + where)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    public void aBatchLandsAsRowsWithEveryFieldBound() throws Exception {
        Sink sink = sink(open(MariaDbServer.connectorConfig()), String.format(INSERT, table));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(record("m" + i, "{\"temp\":" + i + "}"));
        }
        sink.send(batch).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals(250, count(""));
        try (Connection c = MariaDbServer.connect();
             ResultSet rs = c.createStatement().executeQuery(
                     "select topic, qos, payload, arrived from " + table + " where msgid = 'm42'")) {
            assertTrue(rs.next());
            assertEquals("sensors/m42", rs.getString(1));
            assertEquals(1, rs.getInt(2));
            assertEquals("{\"temp\":42}", rs.getString(3));
            assertEquals(1_700_000_000_123L, rs.getTimestamp(4).getTime());
        }
    }

    @Test
    public void hostileValuesLandVerbatimAndTheStatementIsNeverSpliced() throws Exception {
        Sink sink = sink(open(MariaDbServer.connectorConfig()), String.format(INSERT, table));
        List<String> hostile = List.of("'); drop table " + table + "; --", "\\'\\\"\\\\", "'${topic}'", "a\"b`c",
                "\u00e9\u4e2d\ud83d\ude00", "0x27 OR 1=1", "");
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            batch.add(record("h" + i, hostile.get(i)));
        }
        sink.send(batch).toCompletableFuture().get(20, TimeUnit.SECONDS);

        for (int i = 0; i < hostile.size(); i++) {
            try (Connection c = MariaDbServer.connect();
                 ResultSet rs = c.createStatement().executeQuery("select payload from " + table + " where msgid = 'h" + i + "'")) {
                assertTrue(rs.next());
                assertEquals(hostile.get(i), rs.getString(1));
            }
        }
    }

    @Test
    public void aMissingFieldIsBoundAsNull() throws Exception {
        Sink sink = sink(open(MariaDbServer.connectorConfig()), String.format(INSERT, table));
        Map<String, Object> r = record("n1", "x");
        r.remove("payload");
        sink.send(List.of(r)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        try (Connection c = MariaDbServer.connect();
             ResultSet rs = c.createStatement().executeQuery("select payload from " + table + " where msgid = 'n1'")) {
            assertTrue(rs.next());
            assertNull(rs.getString(1));
        }
    }

    @Test
    public void aMissingTableIsFatalWithTheServersError() throws Exception {
        Sink sink = sink(open(MariaDbServer.connectorConfig()), String.format(INSERT, "no_such_table"));
        SinkException e = failure(sink, List.of(record("x1", "p")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("Table 'aviary.no_such_table' doesn't exist"));
    }

    @Test
    public void aMissingColumnIsFatal() throws Exception {
        Sink sink = sink(open(MariaDbServer.connectorConfig()), "insert into " + table + "(msgid, nope) values (${id}, ${topic})");
        SinkException e = failure(sink, List.of(record("x1", "p")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("Unknown column 'nope'"));
    }

    @Test
    public void aConstraintViolationIsFatalAndTheWholeBatchIsRolledBack() throws Exception {
        Sink sink = sink(open(MariaDbServer.connectorConfig()), String.format(INSERT, table));
        SinkException e = failure(sink, List.of(record("d1", "a"), record("d2", "b"), record("d1", "c")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("Duplicate entry 'd1'"));
        assertEquals("one transaction: nothing of the failed batch stays", 0, count(""));
    }

    @Test
    public void dataTooLongIsFatal() throws Exception {
        Sink sink = sink(open(MariaDbServer.connectorConfig()), String.format(INSERT, table));
        SinkException e = failure(sink, List.of(record("l1", "x".repeat(300))));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("Data too long for column 'payload'"));
    }

    @Test
    public void aServerThatRefusesConnectionsIsRetryable() throws Exception {
        Map<String, Object> config = MariaDbServer.connectorConfig();
        config.put("server", "127.0.0.1:" + freePort());
        Connector connector = open(config);
        SinkException e = failure(sink(connector, String.format(INSERT, table)), List.of(record("r1", "p")));
        assertTrue(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("Connection refused"));
        Health health = connector.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Health.Status.DISCONNECTED, health.status());
        assertTrue(health.error(), health.error().contains("Connection refused"));
    }

    @Test
    public void checkIsConnectedWithGoodCredentials() throws Exception {
        Health health = open(MariaDbServer.connectorConfig()).check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Health.connected(), health);
    }

    @Test
    public void aWrongPasswordIsReportedInTheServersWordsAndWritesAreNotRetried() throws Exception {
        Map<String, Object> config = MariaDbServer.connectorConfig();
        config.put("password", "wrong");
        Connector connector = open(config);
        long start = System.nanoTime();
        Health health = connector.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue("check took too long", System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals(Health.Status.DISCONNECTED, health.status());
        assertTrue(health.error(), health.error().contains("Access denied for user 'aviary'@'127.0.0.1'"));
        SinkException e = failure(sink(connector, String.format(INSERT, table)), List.of(record("w1", "p")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("Access denied"));
    }

    @Test
    public void aDeadlockIsRetryable() throws Exception {
        MariaDbServer.execute("insert into " + table + "(msgid, payload) values ('a', '0'), ('b', '0')");
        for (int i = 0; i < 20; i++) {
            MariaDbServer.execute("insert into " + table + "(msgid, payload) values ('c" + i + "', '0')");
        }
        Connector connector = open(MariaDbServer.connectorConfig());
        Sink sink = sink(connector, "update " + table + " set payload = ${payload} where msgid = ${id}");
        try (Connection other = MariaDbServer.connect()) {
            other.setAutoCommit(false);
            // the other transaction changes more rows, so InnoDB picks the sink's as the deadlock victim
            other.createStatement().executeUpdate("update " + table + " set payload = 'other' where msgid like 'c%'");
            other.createStatement().executeUpdate("update " + table + " set payload = 'other' where msgid = 'b'");
            // the sink locks a, then waits for b; the other transaction then asks for a: a deadlock
            var pending = sink.send(List.of(record("a", "sink"), record("b", "sink"))).toCompletableFuture();
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> lockWaits() > 0);
            try {
                other.createStatement().executeUpdate("update " + table + " set payload = 'other' where msgid = 'a'");
                other.commit();
            } catch (SQLException victim) {
                other.rollback();
            }
            try {
                pending.get(20, TimeUnit.SECONDS);
                fail("the sink's batch was expected to be the deadlock victim");
            } catch (java.util.concurrent.ExecutionException e) {
                SinkException s = (SinkException) e.getCause();
                assertTrue(s.getMessage(), s.retryable());
                assertTrue(s.getMessage(), s.getMessage().contains("Deadlock"));
            }
        }
    }

    private static int lockWaits() throws SQLException {
        try (Connection c = MariaDbServer.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select count(*) from information_schema.processlist where state like '%lock%' or info like 'update%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
