package io.aviary.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real servers scripts/services.sh runs for the integration tests: their ports (written to
 * target/services/NAME/port) and the script itself, for outage tests that stop a server (only
 * the processes the script recorded) and start it again.
 */
final class RealServices {

    private RealServices() {
    }

    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("scripts/services.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("project root (scripts/services.sh) not found");
    }

    static int port(String service) {
        return Integer.parseInt(file(service, "port"));
    }

    static String file(String service, String name) {
        Path file = root().resolve("target/services/" + service + "/" + name);
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no " + file + ": start it with scripts/services.sh up " + service, e);
        }
    }

    /** Runs scripts/services.sh with these arguments ("stop", "redis"); fails with its output unless it exits 0. */
    static void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root().resolve("scripts/services.sh").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("services", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("services.sh " + String.join(" ", args) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("services.sh " + String.join(" ", args) + " exited " + p.exitValue()
                        + ": " + Files.readString(out, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
