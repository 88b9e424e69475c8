package io.aviary.runtime;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of {@code bin/aviary console}: reads the configuration, prepares the folders,
 * starts the platform, and stays in the foreground until the framework stops.
 * Exit codes: 0 normal stop, 1 start-up failure, 2 invalid configuration or arguments.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Path home = Layout.installationHome();
        Config config;
        Layout layout;
        try {
            Arguments arguments = Arguments.parse(args, home);
            config = ConfigLoader.load(arguments.configFile(), System.getenv(), arguments.overrides());
            layout = Layout.of(home, config);
            layout.prepare();
        } catch (ConfigError e) {
            System.err.println("aviary: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logging.configure(layout, config);
        Platform platform = new Platform(layout, config);
        try {
            platform.start();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(Main.class).error("Aviary failed to start: {}", e.toString(), e);
            System.err.println("aviary: failed to start: " + e.getMessage());
            platform.stop();
            Logging.shutdown();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.stop();
            Logging.shutdown();
        }, "aviary-shutdown"));
        platform.awaitStop();
    }

    /** Command-line arguments: {@code [--config FILE] [--set key=value]...}. */
    record Arguments(Path configFile, List<String> overrides) {
        static Arguments parse(String[] args, Path home) throws ConfigError {
            Path file = home.resolve("etc/aviary.conf");
            boolean explicit = false;
            List<String> overrides = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--config") || arg.equals("--set")) {
                    if (i + 1 >= args.length) {
                        throw new ConfigError("command-line flag " + arg + ": a value must follow");
                    }
                    String value = args[++i];
                    if (arg.equals("--config")) {
                        file = home.resolve(value);
                        explicit = true;
                    } else {
                        overrides.add(value);
                    }
                } else if (arg.startsWith("--set=")) {
                    overrides.add(arg.substring("--set=".length()));
                } else {
                    throw new ConfigError("unknown command-line argument " + arg
                            + " (expected --config FILE or --set key=value)");
                }
            }
            boolean exists = file.toFile().isFile();
            return new Arguments(explicit || exists ? file : null, List.copyOf(overrides));
        }
    }
}
