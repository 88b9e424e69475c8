package io.aviary.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (the Debian package, installed by scripts/setup.sh) on a free port of
 * 127.0.0.1, with Aviary's default queue limits, for the load generator's tests.
 */
final class Mosquitto implements AutoCloseable {
    final int port;
    private final Process process;
    private final Path dir;

    /** extraConfig: more lines for mosquitto.conf, e.g. a TLS listener's certfile and keyfile. */
    Mosquitto(String... extraConfig) throws IOException, InterruptedException {
        this.port = freePort();
        this.dir = Files.createTempDirectory("loadgen-mosquitto");
        StringBuilder conf = new StringBuilder()
                .append("listener ").append(port).append(" 127.0.0.1\n")
                .append("allow_anonymous true\n")
                .append("user root\n")
                .append("persistence false\n")
                .append("max_queued_messages 1000\n")
                .append("max_inflight_messages 32\n")
                .append("log_dest stderr\n");
        for (String line : extraConfig) {
            conf.append(line).append('\n');
        }
        Path file = Files.writeString(dir.resolve("mosquitto.conf"), conf);
        // Debian installs it in /usr/sbin, which is not on every user's PATH.
        String binary = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        this.process = new ProcessBuilder(binary, "-c", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("out.log")));
            }
            process.waitFor(20, TimeUnit.MILLISECONDS); // not ready yet: wait a moment for it (or its exit)
        }
    }

    long pid() {
        return process.pid();
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
