package io.aviary.itest;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The remote MQTT broker of the bridge tests. {@link #shared()} is the Mosquitto that
 * scripts/services.sh runs for the whole suite (port in target/services/mosquitto/port). A test
 * that must stop and start its peer gets a Mosquitto of its own instead (Debian's mosquitto, the
 * same binary, on a free port, with persistence so queued messages and sessions survive its
 * restart), and stops only that process, by its handle.
 */
final class MosquittoPeer implements AutoCloseable {
    final int port;
    private final Path dir;
    private Process process;

    private MosquittoPeer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static int sharedPort() {
        Path file = Path.of("../target/services/mosquitto/port");
        try {
            return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new IllegalStateException("Mosquitto is not running: scripts/services.sh up mosquitto ("
                    + file.toAbsolutePath().normalize() + " is missing)", e);
        }
    }

    static MosquittoPeer own() throws IOException {
        return new MosquittoPeer(Distribution.freePort(), Files.createTempDirectory("mosquitto-peer"));
    }

    MosquittoPeer start() throws IOException {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nuser root\n"
                + "persistence true\npersistence_location " + dir + "/\nmax_queued_messages 10000\n");
        process = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile())).start();
        Awaitility.await("mosquitto on " + port).atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("mosquitto exited: " + Files.readString(dir.resolve("out.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
        return this;
    }

    /** SIGTERM: Mosquitto saves its sessions and queued messages, then exits. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    String server() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
