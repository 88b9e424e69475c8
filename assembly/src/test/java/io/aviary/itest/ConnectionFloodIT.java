package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Test;

/**
 * A flood of connections that never send CONNECT: the idle timeout (mqtt.idle_timeout, short
 * here) closes every one, and the broker's open file descriptors return to where they were.
 */
public class ConnectionFloodIT {
    private static final int CONNECTIONS = 5_000;

    private Distribution dist;
    private final List<SocketChannel> sockets = new ArrayList<>();

    @After
    public void stop() throws Exception {
        for (SocketChannel s : sockets) {
            s.close();
        }
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    public void connectionsThatNeverSendConnectAreClosedByTheIdleTimeoutAndFdsReturnToBaseline() throws Exception {
        dist = new Distribution().start("--set", "mqtt.idle_timeout=3s");
        long pid = dist.process().pid();
        long baseline = openFds(pid);
        for (int i = 0; i < CONNECTIONS; i++) {
            sockets.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", dist.mqttPort)));
        }
        await("the broker holds the flood").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> openFds(pid) >= baseline + CONNECTIONS * 9 / 10);
        await("idle timeout closes them all").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> openFds(pid) <= baseline + 16);
        assertTrue("the broker still serves", dist.process().isAlive());
        try (SocketChannel probe = SocketChannel.open(new InetSocketAddress("127.0.0.1", dist.mqttPort))) {
            assertTrue(probe.isConnected());
        }
    }

    private static long openFds(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }
}
