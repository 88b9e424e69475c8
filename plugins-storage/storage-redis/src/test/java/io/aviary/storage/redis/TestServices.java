package io.aviary.storage.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where scripts/services.sh started the real servers: target/services/NAME/port at the project root. */
final class TestServices {

    private TestServices() {
    }

    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("scripts/services.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("project root (scripts/services.sh) not found above " + Path.of("").toAbsolutePath());
    }

    static int port(String service) {
        Path file = root().resolve("target/services/" + service + "/port");
        try {
            return Integer.parseInt(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("no " + file + ": start the server with scripts/services.sh up " + service, e);
        }
    }

    /** A file the service wrote beside its port (redis-cluster: servers). */
    static String file(String service, String name) {
        Path file = root().resolve("target/services/" + service + "/" + name);
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no " + file + ": start the server with scripts/services.sh up " + service, e);
        }
    }

    /** A local port nothing listens on (bound, then released). */
    static int closedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
