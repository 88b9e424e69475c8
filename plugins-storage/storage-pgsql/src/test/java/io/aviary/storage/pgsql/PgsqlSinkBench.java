package io.aviary.storage.pgsql;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.Sink;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The sink alone (no broker, no runtime): rows per second from Sink.send into the real PostgreSQL
 * of scripts/services.sh, with EMQX's default template and message-shaped records, batch_size
 * records per batch and up to `inflight` batches in flight (as the runtime's inflight window
 * would). Not a test (no Test suffix): bench/sql-sink-bench.sh --sink-only runs it.
 *   args: total batchSize inflight poolSize
 */
public final class PgsqlSinkBench {
    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int inflight = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int poolSize = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        String table = "bench_" + ProcessHandle.current().pid();
        PostgresServer.execute("create table " + table + " (id bigserial primary key, msgid varchar(64), topic varchar(255),"
                + " qos smallint, payload text, arrived timestamptz)");
        Map<String, Object> config = PostgresServer.connectorConfig();
        config.put("pool_size", (long) poolSize);
        try (Connector connector = new PgsqlConnectorType().open(PostgresServer.context("pgsql:bench"), config)) {
            Sink sink = connector.sink("pgsql:bench", Map.of("sql", "insert into " + table
                    + "(msgid, topic, qos, payload, arrived) values (${id}, ${topic}, ${qos}, ${payload},"
                    + " TO_TIMESTAMP((${timestamp} :: bigint)/1000))"));
            run(sink, 20_000, batchSize, inflight, "warm-up"); // JIT, pool, server-side plans
            PostgresServer.execute("truncate " + table);
            long start = System.nanoTime();
            run(sink, total, batchSize, inflight, "measured");
            double seconds = (System.nanoTime() - start) / 1e9;
            long rows;
            try (Connection c = PostgresServer.connect(); ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
                rs.next();
                rows = rs.getLong(1);
            }
            System.out.printf("{\"rows\":%d,\"seconds\":%.2f,\"rows_per_s\":%.0f,\"batch_size\":%d,\"inflight\":%d,\"pool_size\":%d}%n",
                    rows, seconds, rows / seconds, batchSize, inflight, poolSize);
            if (rows != total) {
                throw new IllegalStateException("expected " + total + " rows, found " + rows);
            }
        } finally {
            PostgresServer.execute("drop table if exists " + table);
        }
        System.exit(0);
    }

    private static void run(Sink sink, int total, int batchSize, int inflight, String phase) throws Exception {
        Semaphore window = new Semaphore(inflight);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        String payload = "{\"temp\":21.5,\"hum\":40,\"device\":\"dev-000001\",\"seq\":0000000}";
        for (int sent = 0; sent < total; sent += batchSize) {
            List<Map<String, Object>> batch = new ArrayList<>(batchSize);
            for (int i = sent; i < Math.min(total, sent + batchSize); i++) {
                Map<String, Object> r = new HashMap<>();
                r.put("id", Long.toHexString(System.nanoTime()) + i);
                r.put("topic", "sensors/dev-" + (i % 1000));
                r.put("qos", 1L);
                r.put("payload", payload);
                r.put("timestamp", System.currentTimeMillis());
                batch.add(r);
            }
            window.acquire();
            CompletableFuture<Void> f = sink.send(batch).toCompletableFuture();
            f.whenComplete((v, e) -> window.release());
            pending.add(f);
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get(10, TimeUnit.MINUTES);
        System.err.println(phase + ": " + total + " rows sent");
    }
}
