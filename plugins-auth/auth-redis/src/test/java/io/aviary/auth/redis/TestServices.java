package io.aviary.auth.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where scripts/services.sh started the real servers: target/services/NAME/ at the project root. */
final class TestServices {

    private TestServices() {
    }

    static String file(String service, String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("scripts/services.sh"))) {
                Path file = p.resolve("target/services/" + service + "/" + name);
                try {
                    return Files.readString(file).trim();
                } catch (IOException e) {
                    throw new IllegalStateException("no " + file + ": start it with scripts/services.sh up " + service, e);
                }
            }
        }
        throw new IllegalStateException("project root (scripts/services.sh) not found");
    }

    /** A local port nothing listens on (bound, then released). */
    static int closedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
