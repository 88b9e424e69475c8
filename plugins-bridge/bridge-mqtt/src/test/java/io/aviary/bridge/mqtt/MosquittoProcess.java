package io.aviary.bridge.mqtt;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A Mosquitto of a test's own (Debian's mosquitto, as scripts/services.sh runs it) on a free port,
 * for the tests that must stop and start the remote broker, or give it a TLS listener: the shared
 * instance of services.sh must keep running for everyone else. Stopped by its own Process handle.
 */
final class MosquittoProcess implements AutoCloseable {
    final int port;
    private final Path dir;
    private String extraConfig;
    private Process process;

    MosquittoProcess(String extraConfig) throws IOException {
        this.port = Peers.closedPort();
        this.dir = Files.createTempDirectory("mosquitto-test");
        this.extraConfig = extraConfig;
    }

    /** More mosquitto.conf lines (an allow_anonymous line here replaces the default "true"). */
    MosquittoProcess config(String lines) {
        this.extraConfig = lines;
        return this;
    }

    MosquittoProcess start() throws IOException {
        Path conf = dir.resolve("mosquitto.conf");
        String anonymous = extraConfig.contains("allow_anonymous") ? "" : "allow_anonymous true\n";
        Files.writeString(conf, "listener " + port + " 127.0.0.1\n" + anonymous + "user root\npersistence false\n"
                + extraConfig);
        process = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
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

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    String server() {
        return "127.0.0.1:" + port;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
