package io.aviary.storage.pgsql;

import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.rules.Templates;
import io.aviary.rules.TemplateService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The real PostgreSQL that scripts/services.sh started (its port in target/services/postgres/port),
 * with the test database and user it created, and a plain JDBC connection for the tests' own
 * CREATE and SELECT statements.
 */
final class PostgresServer {
    static final String USER = "aviary";
    static final String PASSWORD = "aviary-secret";
    static final String DATABASE = "aviary";
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();

    static Path servicesDir() {
        return Path.of(System.getProperty("aviary.services.dir", "../../target/services"));
    }

    static int port() {
        Path file = servicesDir().resolve("postgres/port");
        try {
            return Integer.parseInt(Files.readString(file).trim());
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not running: start it with scripts/services.sh up postgres (" + file + ")", e);
        }
    }

    static Map<String, Object> connectorConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("server", "127.0.0.1:" + port());
        config.put("database", DATABASE);
        config.put("username", USER);
        config.put("password", PASSWORD);
        config.put("pool_size", 2L);
        return config;
    }

    static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", PASSWORD);
        return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE, p);
    }

    static void execute(String sql) throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute(sql);
        }
    }

    static ConnectorContext context(String connectorId) {
        Templates templates = new TemplateService();
        return new ConnectorContext() {
            @Override
            public String tenant() {
                return "t1";
            }

            @Override
            public String connectorId() {
                return connectorId;
            }

            @Override
            public Templates templates() {
                return templates;
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return SCHEDULER;
            }
        };
    }

    /** Runs scripts/services.sh (stop NAME / up NAME) from the project root, for outage tests. */
    static void services(String command, String name) throws IOException, InterruptedException {
        Path root = servicesDir().getParent().getParent();
        Process p = new ProcessBuilder("bash", "scripts/services.sh", command, name).directory(root.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("services.sh " + command + " " + name + " failed: " + out);
        }
    }
}
