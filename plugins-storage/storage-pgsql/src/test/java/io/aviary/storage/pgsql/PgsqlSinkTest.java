package io.aviary.storage.pgsql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorType;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * storage-pgsql against the real PostgreSQL of scripts/services.sh: batches land as rows, hostile
 * values land verbatim, each kind of failure is classified as the runtime needs it, and an outage
 * is retryable until the server is back.
 */
public class PgsqlSinkTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    /** EMQX's default PostgreSQL action template. */
    private static final String INSERT = "insert into %s(msgid, topic, qos, payload, arrived) "
            + "values (${id}, ${topic}, ${qos}, ${payload}, TO_TIMESTAMP((${timestamp} :: bigint)/1000))";

    private final List<Connector> opened = new ArrayList<>();
    private String table;

    @Before
    public void createTable() throws SQLException {
        table = "t_mqtt_msg_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
        PostgresServer.execute("create table " + table + " (id serial primary key, msgid varchar(64) unique,"
                + " topic varchar(255), qos smallint, payload varchar(255), temp numeric, arrived timestamptz)");
    }

    @After
    public void dropTable() throws SQLException {
        opened.forEach(Connector::close);
        PostgresServer.execute("drop table if exists " + table);
    }

    private Connector open(ConnectorType type, Map<String, Object> config) {
        Connector connector = type.open(PostgresServer.context(type.type() + ":c1"), config);
        opened.add(connector);
        return connector;
    }

    private Connector open(Map<String, Object> config) {
        return open(new PgsqlConnectorType(), config);
    }

    private static Sink sink(Connector connector, String sql) {
        return connector.sink("pgsql:a1", Map.of("sql", sql));
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
        } catch (ExecutionException e) {
            assertTrue("a SinkException, not " + e.getCause(), e.getCause() instanceof SinkException);
            return (SinkException) e.getCause();
        }
        fail("the batch was accepted");
        return null;
    }

    private int count() throws SQLException {
        try (Connection c = PostgresServer.connect();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private String payloadOf(String msgid) throws SQLException {
        try (Connection c = PostgresServer.connect(); var ps = c.prepareStatement("select payload from " + table + " where msgid = ?")) {
            ps.setString(1, msgid);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue("no row " + msgid, rs.next());
                return rs.getString(1);
            }
        }
    }

    @Test
    public void aBatchLandsAsRowsWithEveryFieldBound() throws Exception {
        Sink sink = sink(open(PostgresServer.connectorConfig()), String.format(INSERT, table));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(record("m" + i, "{\"temp\":" + i + "}"));
        }
        sink.send(batch).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals(250, count());
        try (Connection c = PostgresServer.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select topic, qos, payload, extract(epoch from arrived)::bigint from " + table + " where msgid = 'm42'")) {
            assertTrue(rs.next());
            assertEquals("sensors/m42", rs.getString(1));
            assertEquals(1, rs.getInt(2));
            assertEquals("{\"temp\":42}", rs.getString(3));
            assertEquals(1_700_000_000L, rs.getLong(4));
        }
    }

    @Test
    public void hostileValuesLandVerbatimAndTheStatementIsNeverSpliced() throws Exception {
        Sink sink = sink(open(PostgresServer.connectorConfig()), String.format(INSERT, table));
        List<String> hostile = List.of("'); drop table " + table + "; --", "\\'\\\"\\\\", "'${topic}'", "a\"b`c$$x$$",
                "\u00e9\u4e2d\ud83d\ude00", "E'\\x27' OR 1=1", "");
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            batch.add(record("h" + i, hostile.get(i)));
        }
        sink.send(batch).toCompletableFuture().get(20, TimeUnit.SECONDS);
        for (int i = 0; i < hostile.size(); i++) {
            assertEquals(hostile.get(i), payloadOf("h" + i));
        }
    }

    @Test
    public void aMissingFieldIsBoundAsNull() throws Exception {
        Sink sink = sink(open(PostgresServer.connectorConfig()), String.format(INSERT, table));
        Map<String, Object> r = record("n1", "x");
        r.remove("payload");
        sink.send(List.of(r)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertNull(payloadOf("n1"));
    }

    @Test
    public void aNumberInAJsonStringFitsANumericColumnAsInEmqx() throws Exception {
        Sink sink = sink(open(PostgresServer.connectorConfig()),
                "insert into " + table + "(msgid, temp, qos) values (${id}, ${payload.temp}, ${payload.qos})");
        Map<String, Object> r = record("n2", null);
        r.put("payload", Map.of("temp", "21.5", "qos", "2"));
        sink.send(List.of(r)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        try (Connection c = PostgresServer.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select temp, qos from " + table + " where msgid = 'n2'")) {
            assertTrue(rs.next());
            assertEquals(new java.math.BigDecimal("21.5"), rs.getBigDecimal(1));
            assertEquals(2, rs.getInt(2));
        }
    }

    @Test
    public void aMissingTableIsFatalWithTheServersError() throws Exception {
        Sink sink = sink(open(PostgresServer.connectorConfig()), String.format(INSERT, "no_such_table"));
        SinkException e = failure(sink, List.of(record("x1", "p")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("relation \"no_such_table\" does not exist"));
    }

    @Test
    public void aMissingColumnIsFatal() throws Exception {
        Sink sink = sink(open(PostgresServer.connectorConfig()), "insert into " + table + "(msgid, nope) values (${id}, ${topic})");
        SinkException e = failure(sink, List.of(record("x1", "p")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("column \"nope\" of relation"));
    }

    @Test
    public void aConstraintViolationIsFatalAndTheWholeBatchIsRolledBack() throws Exception {
        Sink sink = sink(open(PostgresServer.connectorConfig()), String.format(INSERT, table));
        SinkException e = failure(sink, List.of(record("d1", "a"), record("d2", "b"), record("d1", "c")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("duplicate key value violates unique constraint"));
        assertEquals("one transaction: nothing of the failed batch stays", 0, count());
    }

    @Test
    public void dataTooLongIsFatal() throws Exception {
        Sink sink = sink(open(PostgresServer.connectorConfig()), String.format(INSERT, table));
        SinkException e = failure(sink, List.of(record("l1", "x".repeat(300))));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("value too long for type character varying(255)"));
    }

    @Test
    public void aServerThatRefusesConnectionsIsRetryable() throws Exception {
        Map<String, Object> config = PostgresServer.connectorConfig();
        config.put("server", "127.0.0.1:" + freePort());
        Connector connector = open(config);
        SinkException e = failure(sink(connector, String.format(INSERT, table)), List.of(record("r1", "p")));
        assertTrue(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("refused"));
        Health health = connector.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Health.Status.DISCONNECTED, health.status());
        assertTrue(health.error(), health.error().contains("refused"));
    }

    @Test
    public void checkIsConnectedWithGoodCredentials() throws Exception {
        Health health = open(PostgresServer.connectorConfig()).check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Health.connected(), health);
    }

    @Test
    public void aWrongPasswordIsReportedInTheServersWordsAndWritesAreNotRetried() throws Exception {
        Map<String, Object> config = PostgresServer.connectorConfig();
        config.put("password", "wrong");
        Connector connector = open(config);
        long start = System.nanoTime();
        Health health = connector.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue("check took too long", System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals(Health.Status.DISCONNECTED, health.status());
        assertTrue(health.error(), health.error().contains("password authentication failed for user \"aviary\""));
        SinkException e = failure(sink(connector, String.format(INSERT, table)), List.of(record("w1", "p")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("password authentication failed"));
    }

    @Test
    public void aDeadlockIsRetryable() throws Exception {
        PostgresServer.execute("insert into " + table + "(msgid, payload) values ('a', '0'), ('b', '0')");
        Sink sink = sink(open(PostgresServer.connectorConfig()), "update " + table + " set payload = ${payload} where msgid = ${id}");
        try (Connection other = PostgresServer.connect()) {
            other.setAutoCommit(false);
            other.createStatement().executeUpdate("update " + table + " set payload = 'other' where msgid = 'b'");
            // the sink locks a, then waits for b; the other transaction then asks for a. PostgreSQL
            // aborts the transaction that waited past deadlock_timeout first: the sink's.
            var pending = sink.send(List.of(record("a", "sink"), record("b", "sink"))).toCompletableFuture();
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(PgsqlSinkTest::lockWaits, n -> n > 0);
            other.createStatement().executeUpdate("update " + table + " set payload = 'other' where msgid = 'a'");
            other.commit();
            try {
                pending.get(20, TimeUnit.SECONDS);
                fail("the sink's batch was expected to be the deadlock victim");
            } catch (ExecutionException e) {
                SinkException s = (SinkException) e.getCause();
                assertTrue(s.getMessage(), s.retryable());
                assertTrue(s.getMessage(), s.getMessage().contains("deadlock detected"));
            }
        }
    }

    @Test
    public void anOutageIsRetryableAndTheSameBatchLandsOnceTheServerIsBack() throws Exception {
        Connector connector = open(PostgresServer.connectorConfig());
        Sink sink = sink(connector, String.format(INSERT, table));
        sink.send(List.of(record("before", "p"))).toCompletableFuture().get(20, TimeUnit.SECONDS);
        List<Map<String, Object>> batch = List.of(record("o1", "p"), record("o2", "p"));
        PostgresServer.services("stop", "postgres");
        try {
            SinkException e = failure(sink, batch);
            assertTrue(e.getMessage(), e.retryable());
            assertEquals(Health.Status.DISCONNECTED, connector.check().toCompletableFuture().get(10, TimeUnit.SECONDS).status());
        } finally {
            PostgresServer.services("up", "postgres");
        }
        Awaitility.await().atMost(20, TimeUnit.SECONDS).until(
                () -> connector.check().toCompletableFuture().get(10, TimeUnit.SECONDS), h -> h.status() == Health.Status.CONNECTED);
        sink.send(batch).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(3, count());
    }

    @Test
    public void theTimescaleTypeWritesThroughTheSameConnector() throws Exception {
        TimescaleConnectorType timescale = new TimescaleConnectorType();
        assertEquals("timescale", timescale.type());
        assertEquals(new PgsqlConnectorType().connectorSchema(), timescale.connectorSchema());
        Sink sink = sink(open(timescale, PostgresServer.connectorConfig()), String.format(INSERT, table));
        sink.send(List.of(record("ts1", "p"))).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals("p", payloadOf("ts1"));
    }

    private static int lockWaits() throws SQLException {
        try (Connection c = PostgresServer.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock'")) {
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
