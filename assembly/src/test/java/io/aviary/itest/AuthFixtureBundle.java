package io.aviary.itest;

import io.aviary.itest.authfixture.FixtureActivator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs the TEST FIXTURE auth plugin ({@link io.aviary.itest.authfixture}) into a real OSGi
 * bundle jar at test time: the fixture's compiled classes from the test class path, a manifest
 * importing only the API packages it uses and {@code org.osgi.framework}, and Aviary's plugin
 * headers (kind {@code auth}). The jar is written beside the target and moved in, so the
 * plugins-folder watcher never sees half a file.
 */
public final class AuthFixtureBundle {
    /** The plugin id, which is also the factory PID of its instances. */
    public static final String PLUGIN_ID = "test-auth-fixture";
    private static final String PACKAGE_PATH = FixtureActivator.class.getPackageName().replace('.', '/');

    private AuthFixtureBundle() {
    }

    /** Writes the bundle to {@code target} (a path inside a distribution's plugins/ folder). */
    public static void write(Path target) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "io.aviary.itest.authfixture");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Name", "Aviary TEST FIXTURE auth plugin (conformance tests only)");
        main.putValue("Bundle-Activator", FixtureActivator.class.getName());
        main.putValue("Import-Package", "io.aviary.api.auth;version=\"[1.0,2)\","
                + "io.aviary.api.client;version=\"[1.0,2)\","
                + "org.osgi.framework;version=\"[1.8,2)\"");
        main.putValue("Aviary-Plugin-Id", PLUGIN_ID);
        main.putValue("Aviary-Plugin-Kind", "auth");
        main.putValue("Aviary-Plugin-Description", "TEST FIXTURE: fixed users and ACL for the conformance tests");
        main.putValue("Aviary-Plugin-Schema", "schema.json");

        Path tmp = Files.createTempFile(target.getParent(), ".incoming", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("schema.json"));
            jar.write(("{\"type\":\"object\",\"additionalProperties\":false,"
                    + "\"properties\":{\"strict\":{\"type\":\"boolean\"}}}").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            for (Path classFile : classFiles()) {
                jar.putNextEntry(new JarEntry(PACKAGE_PATH + "/" + classFile.getFileName()));
                jar.write(Files.readAllBytes(classFile));
                jar.closeEntry();
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The fixture package's class files, read from the test class path (a folder under Maven). */
    private static List<Path> classFiles() throws IOException {
        Path root;
        try {
            root = Path.of(FixtureActivator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path dir = root.resolve(PACKAGE_PATH);
        if (!Files.isDirectory(dir)) {
            throw new IOException("the auth fixture classes must be a folder on the class path, not in " + root);
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> classes = files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
            if (classes.isEmpty()) {
                throw new IOException("no compiled auth fixture classes in " + dir);
            }
            return classes;
        }
    }
}
