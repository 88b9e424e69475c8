package io.aviary.runtime;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The installation's folders: home (from -Daviary.home, else the working directory) with
 * bundles/, plugins/, data/ and log/. Relative paths in the configuration are taken from home.
 */
record Layout(Path home, Path bundles, Path plugins, Path data, Path log) {

    static Path installationHome() {
        String prop = System.getProperty("aviary.home");
        return (prop == null || prop.isBlank() ? Path.of("") : Path.of(prop)).toAbsolutePath().normalize();
    }

    static Layout of(Path home, Config config) {
        return new Layout(home,
                home.resolve("bundles"),
                home.resolve(config.getString("node.plugins_dir")).normalize(),
                home.resolve(config.getString("node.data_dir")).normalize(),
                home.resolve(config.getString("log.dir")).normalize());
    }

    /** Creates data/, log/ and plugins/ when missing; refuses a data folder that cannot be written. */
    void prepare() throws ConfigError {
        ensureWritable(data, "node.data_dir");
        ensureWritable(log, "log.dir");
        try {
            Files.createDirectories(plugins);
        } catch (IOException e) {
            throw new ConfigError("node.plugins_dir: cannot create " + plugins + ": " + e);
        }
    }

    private static void ensureWritable(Path dir, String key) throws ConfigError {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new ConfigError(key + ": the folder " + dir + " cannot be written (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "); give the Aviary user write access or point " + key + " elsewhere");
        }
    }
}
