package io.aviary.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;

/** bin/aviary as a user meets it: bad configuration, folders, and a graceful SIGTERM. */
public class LauncherIT {
    private Distribution dist;

    @After
    public void cleanUp() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private static Process run(Distribution dist, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(dist.home.resolve("bin/aviary").toString(), "console"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    public void invalidConfigurationExitsWithCode2NamingFileLineKeyAndExpectation() throws Exception {
        dist = new Distribution();
        Path conf = dist.home.resolve("etc/aviary.conf");
        Files.writeString(conf, Files.readString(conf).replace("max_inflight = 32", "max_inflight = plenty"));
        int line = lineOf(conf, "max_inflight = plenty");
        Process p = run(dist);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(out, 2, p.exitValue());
        assertTrue(out, out.contains("aviary.conf:" + line + ": mqtt.max_inflight: expected a number, found \"plenty\""));
    }

    @Test
    public void dataFolderThatCannotBeWrittenIsRefusedAtStart() throws Exception {
        dist = new Distribution();
        Process p = run(dist, "--set", "node.data_dir=etc/aviary.conf/data");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(out, 2, p.exitValue());
        assertTrue(out, out.contains("node.data_dir: the folder") && out.contains("cannot be written"));
    }

    @Test
    public void missingDataFolderIsCreatedAndSigtermStopsGracefullyWithinTenSeconds() throws Exception {
        dist = new Distribution();
        Path data = dist.home.resolve("var/lib/aviary");
        assertFalse(Files.exists(data));
        dist.start("--set", "node.data_dir=var/lib/aviary");
        assertTrue(Files.isDirectory(data));
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("sigterm-witness")
                .serverHost("127.0.0.1").serverPort(dist.mqttPort).buildBlocking();
        client.connect();

        long begin = System.nanoTime();
        dist.process().destroy(); // SIGTERM
        assertTrue("exits within 10 s", dist.process().waitFor(10, TimeUnit.SECONDS));
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        assertTrue("took " + took, took.compareTo(Duration.ofSeconds(10)) < 0);
        assertTrue(dist.console(), dist.console().contains("Aviary stopped"));
        assertFalse("the ready marker is removed", Files.exists(data.resolve("aviary.ready")));
    }

    private static int lineOf(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }
}
