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

    @Test
    public void failedTlsHandshakesReleaseTheirConnectionsAndFds() throws Exception {
        Path dir = Files.createTempDirectory("flood-pki");
        io.aviary.broker.testing.TestPki pki = new io.aviary.broker.testing.TestPki(dir, "flood-ca");
        io.aviary.broker.testing.TestPki.Issued server = pki.server("server");
        int ssl = Distribution.freePort();
        dist = new Distribution().start("--set", "listeners.ssl.default.enable=true",
                "--set", "listeners.ssl.default.bind=127.0.0.1:" + ssl,
                "--set", "listeners.ssl.default.ssl_options.certfile=" + server.cert(),
                "--set", "listeners.ssl.default.ssl_options.keyfile=" + server.key());
        long pid = dist.process().pid();
        long baseline = openFds(pid);
        java.nio.ByteBuffer plainConnect = java.nio.ByteBuffer.wrap(
                new byte[] {0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0});
        for (int i = 0; i < 1_000; i++) {
            SocketChannel s = SocketChannel.open(new InetSocketAddress("127.0.0.1", ssl));
            s.write(plainConnect.duplicate()); // plain MQTT on the TLS port: the handshake fails
            sockets.add(s);
        }
        await("every failed handshake is closed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> openFds(pid) <= baseline + 16);
        assertTrue("the broker still serves", dist.process().isAlive());
    }

    private static long openFds(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }
}
