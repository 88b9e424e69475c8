package io.aviary.runtime;

import ch.qos.logback.classic.LoggerContext;
import com.typesafe.config.Config;
import java.nio.file.Files;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up the one logging backend (Logback behind SLF4J) before anything logs, and bridges
 * java.util.logging into it. etc/logback.xml reads the level, folder and console switch from
 * system properties set here from the configuration.
 */
final class Logging {

    private Logging() {
    }

    static void configure(Layout layout, Config config) {
        System.setProperty("aviary.log.dir", layout.log().toString());
        System.setProperty("aviary.log.level", config.getString("log.level").toUpperCase());
        System.setProperty("aviary.log.console.level", config.getBoolean("log.console") ? "TRACE" : "OFF");
        if (System.getProperty("logback.configurationFile") == null) {
            var file = layout.home().resolve("etc/logback.xml");
            if (Files.isRegularFile(file)) {
                System.setProperty("logback.configurationFile", file.toString());
            }
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    /** Flushes and closes the appenders; the last thing the process does. */
    static void shutdown() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
