package io.aviary.itest;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of the assembled distribution in a temporary folder, run as a separate process
 * through bin/aviary exactly as a user would, on free ports of 127.0.0.1.
 */
public final class Distribution implements AutoCloseable {
    static {
        // Pins the HiveMQ MQTT client's shared Netty event loop group for the whole test JVM. The client
        // shuts that group down whenever its last client is gone and makes a new one for the next; a
        // blocking connect that races the shutdown waits for ever (seen as connects that never return,
        // with no TCP connection opened). One permanent reference keeps a single group alive.
        com.hivemq.client.internal.netty.NettyEventLoopProvider.INSTANCE.acquireEventLoop(null, 0);
    }

    public final Path home;
    public final int mqttPort;
    public final int adminPort;
    /** The WebSocket listener's port (ws is on by default, so every run binds it to a free port). */
    public final int wsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();

    /** An environment variable for the next start (e.g. AVIARY_API_KEY__BOOTSTRAP_FILE). */
    public Distribution env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public Distribution() throws IOException {
        this.home = Files.createTempDirectory("aviary-dist");
        copyTree(Path.of(System.getProperty("aviary.dist.dir")), home);
        this.mqttPort = freePort();
        this.adminPort = freePort();
        this.wsPort = freePort();
    }

    public Distribution start(String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/aviary").toString(), "console",
                "--set", "listeners.tcp.default.bind=127.0.0.1:" + mqttPort,
                "--set", "listeners.ws.default.bind=127.0.0.1:" + wsPort,
                "--set", "dashboard.listeners.http.bind=127.0.0.1:" + adminPort));
        command.addAll(List.of(extraArgs));
        Path data = home.resolve("data");
        for (String arg : extraArgs) {
            if (arg.startsWith("node.data_dir=")) {
                data = home.resolve(arg.substring("node.data_dir=".length()));
            }
        }
        Path ready = data.resolve("aviary.ready");
        Files.deleteIfExists(ready); // a killed run leaves its marker behind
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("console.out").toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        await("distribution ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(ready) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("Aviary exited with " + process.exitValue() + ":\n" + console());
        }
        return this;
    }

    /** The admin API starts beside the broker, not before "ready": wait until it answers. */
    public Distribution awaitApi() {
        await("admin API up").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> get("/status").statusCode() == 200);
        return this;
    }

    public Process process() {
        return process;
    }

    public Path plugins() {
        return home.resolve("plugins");
    }

    public String console() throws IOException {
        Path out = home.resolve("console.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        String basic = Base64.getEncoder().encodeToString("admin:public".getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/v5" + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + basic);
    }

    /** SIGTERM, then wait: a graceful stop. */
    public int stop(Duration within) throws InterruptedException {
        if (process == null) {
            return -1;
        }
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("Aviary did not stop within " + within);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
        // Each copy holds the whole distribution (tens of MB): remove it, unless kept for a post-mortem.
        if (!Boolean.getBoolean("aviary.itest.keep")) {
            deleteTree(home);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(source -> {
                try {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
