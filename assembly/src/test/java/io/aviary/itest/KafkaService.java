package io.aviary.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real Kafka broker of scripts/services.sh (KRaft, one node), for KafkaIT: its address, and
 * stopping and starting exactly that process (by the PID the script recorded) for outage tests.
 */
final class KafkaService {
    private KafkaService() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/services.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("project root not found");
        }
        return dir;
    }

    private static Path dir() {
        return root().resolve("target/services/kafka");
    }

    static String bootstrap() throws IOException {
        return address("port");
    }

    /** The SASL listener (PLAIN user aviary / aviary-secret; SCRAM-SHA-256 users are made by tests). */
    static String saslBootstrap() throws IOException {
        return address("sasl_port");
    }

    private static String address(String file) throws IOException {
        Path port = dir().resolve(file);
        if (!Files.exists(port)) {
            throw new IllegalStateException("no Kafka broker: run scripts/services.sh up kafka");
        }
        return "127.0.0.1:" + Files.readString(port).trim();
    }

    /** Stops the broker process the script started (only that PID) and waits until it is gone. */
    static void stop() throws Exception {
        long pid = Long.parseLong(Files.readString(dir().resolve("pid")).trim());
        ProcessHandle broker = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("kafka is not running: pid " + pid));
        broker.destroy();
        try {
            broker.onExit().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            broker.destroyForcibly();
            broker.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** Starts it again, same port and data, through scripts/services.sh. */
    static void start() throws Exception {
        Process p = new ProcessBuilder(root().resolve("scripts/services.sh").toString(), "up", "kafka")
                .directory(root().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(Duration.ofSeconds(120).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kafka did not start: " + out);
        }
    }
}
