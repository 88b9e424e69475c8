package io.aviary.bench.hivemq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import com.hivemq.embedded.EmbeddedHiveMQ;

/**
 * Runs HiveMQ CE embedded for bench/compare.sh, on 127.0.0.1 only, with a fresh home folder:
 *   HiveMqLauncher HOME PORT in-memory|file
 * The configuration matches Aviary's defaults where HiveMQ has the setting (a queue of 1,000
 * messages per session, discarding), turns the update check and usage statistics off (no network
 * beyond 127.0.0.1) and logs warnings only. Writes HOME/ready once the listener is bound, and stops
 * on SIGTERM.
 */
public final class HiveMqLauncher {
    private HiveMqLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !(args[2].equals("in-memory") || args[2].equals("file"))) {
            System.err.println("usage: HiveMqLauncher HOME PORT in-memory|file");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), String.join("\n",
                "<?xml version=\"1.0\"?>",
                "<hivemq>",
                "  <listeners><tcp-listener><port>" + Integer.parseInt(args[1]) + "</port>"
                        + "<bind-address>127.0.0.1</bind-address></tcp-listener></listeners>",
                "  <mqtt><queued-messages><max-queue-size>1000</max-queue-size><strategy>discard</strategy></queued-messages></mqtt>",
                "  <persistence><mode>" + args[2] + "</mode></persistence>",
                "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>",
                "  <general><update-check-enabled>false</update-check-enabled></general>",
                "</hivemq>", ""));
        Files.writeString(conf.resolve("logback.xml"), String.join("\n",
                "<configuration>",
                "  <appender name=\"CONSOLE\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%d %-5level %logger{20} - %msg%n</pattern></encoder>",
                "  </appender>",
                "  <root level=\"WARN\"><appender-ref ref=\"CONSOLE\"/></root>",
                "</configuration>", ""));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(home.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hivemq.stop().join();
            } finally {
                stopped.countDown();
            }
        }));
        hivemq.start().join();
        Files.writeString(home.resolve("ready"), "ready\n");
        stopped.await();
    }
}
