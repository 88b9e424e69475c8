package io.aviary.auth.sql;

import static org.junit.Assert.assertTrue;

import io.aviary.auth.sql.mysql.MySqlSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.Test;

/**
 * The bound on a lookup, with the real MariaDB driver against a server that accepts connections
 * and never says a word (the worst kind of down): every lookup fails by query_timeout (the pool's
 * own wait for a connection, or the lookup's bound), even the ones queued behind the pool's only
 * thread, so no CONNECT waits longer.
 */
public class SqlLookupTest {

    @Test
    public void aSilentServerFailsEveryLookupAtTheQueryTimeoutQueuedOnesIncluded() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, Object> config = new HashMap<>();
            config.put("server", "127.0.0.1:" + silent.getLocalPort());
            config.put("database", "mqtt");
            config.put("query", "SELECT password_hash FROM mqtt_user WHERE username = ${username}");
            config.put("query_timeout", "400ms");
            config.put("pool_size", 1);
            SqlAuthSettings settings = SqlAuthSettings.from(config, SqlAuthSettings.Dialect.MYSQL, true);
            try (SqlLookup lookup = new SqlLookup("test", settings, MySqlSource.of(settings), 1)) {
                long begin = System.nanoTime();
                List<CompletableFuture<List<Map<String, Object>>>> lookups = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    lookups.add(lookup.rows(Map.of("username", "alice" + i)).toCompletableFuture());
                }
                for (CompletableFuture<List<Map<String, Object>>> f : lookups) {
                    try {
                        f.get();
                        throw new AssertionError("a silent server answered");
                    } catch (ExecutionException e) {
                        assertTrue(String.valueOf(e.getCause()),
                                e.getCause() instanceof TimeoutException || e.getCause() instanceof SQLException);
                    }
                }
                long ms = (System.nanoTime() - begin) / 1_000_000;
                assertTrue("all five failed in " + ms + " ms", ms >= 250 && ms < 1_500);
                for (Socket s : held) {
                    s.close(); // the pool's stuck connection attempt ends now, so closing the pool does not wait for it
                }
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
