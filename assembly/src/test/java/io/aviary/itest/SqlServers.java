package io.aviary.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real MariaDB and PostgreSQL that scripts/services.sh started (their port files under
 * target/services), read and written with their own command-line clients, and stopped and started
 * again (only the PIDs that script recorded) for outage tests.
 */
final class SqlServers {
    static final String USER = "aviary";
    static final String PASSWORD = "aviary-secret";
    static final String DATABASE = "aviary";

    private SqlServers() {
    }

    static Path servicesDir() {
        return Path.of(System.getProperty("aviary.services.dir"));
    }

    static int port(String service) throws IOException {
        Path file = servicesDir().resolve(service).resolve("port");
        if (!Files.exists(file)) {
            throw new IllegalStateException(service + " is not running: scripts/services.sh up " + service);
        }
        return Integer.parseInt(Files.readString(file).trim());
    }

    /** Runs a command and returns what it printed; fails on a non-zero exit. */
    static String run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    static String psql(String sql) throws IOException, InterruptedException {
        return run(Map.of("PGPASSWORD", PASSWORD), "psql", "-h", "127.0.0.1", "-p", String.valueOf(port("postgres")),
                "-U", USER, "-d", DATABASE, "-v", "ON_ERROR_STOP=1", "-tAqc", sql);
    }

    /** --raw: values come back as stored, without the client's escaping of backslashes. */
    static String mariadb(String sql) throws IOException, InterruptedException {
        return run(Map.of(), "mariadb", "--no-defaults", "--default-character-set=utf8mb4", "-h127.0.0.1", "-P" + port("mariadb"), "-u" + USER,
                "-p" + PASSWORD, DATABASE, "-N", "--raw", "-e", sql);
    }

    /** scripts/services.sh stop|up NAME, from the project root. */
    static void services(String command, String service) throws IOException, InterruptedException {
        Path root = servicesDir().getParent().getParent();
        run(Map.of(), "bash", root.resolve("scripts/services.sh").toString(), command, service);
    }
}
