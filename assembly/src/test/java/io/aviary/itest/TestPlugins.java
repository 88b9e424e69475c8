package io.aviary.itest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes plugin bundles for the hot-deploy tests: real OSGi bundles (manifest, schema file)
 * carrying Aviary's plugin headers, made at test time so each test can vary the version or
 * break the jar. Jars are written beside the target and moved in, as an operator's copy would
 * land, so the watcher never sees half a file by design of the test.
 */
final class TestPlugins {
    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"greeting\":{\"type\":\"string\"}}}";

    private TestPlugins() {
    }

    static void plugin(Path target, String id, String version, String... extraHeaders) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "io.aviary.test." + id);
        main.putValue("Bundle-Version", version);
        main.putValue("Aviary-Plugin-Id", id);
        main.putValue("Aviary-Plugin-Kind", "protocol");
        main.putValue("Aviary-Plugin-Description", "Hot-deploy test plugin " + version);
        main.putValue("Aviary-Plugin-Schema", "schema.json");
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            main.putValue(extraHeaders[i], extraHeaders[i + 1]);
        }
        Path tmp = Files.createTempFile(target.getParent(), ".incoming", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("schema.json"));
            jar.write(SCHEMA.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void corrupt(Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".incoming", ".tmp");
        Files.write(tmp, "this is not a zip file at all".getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
