package io.aviary.broker.listener;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.broker.testing.TestBroker;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Rule;
import org.junit.Test;

/**
 * A 256 MB message (max_packet_size raised to 256 MB) passes from a publisher to a subscriber.
 * Both clients stream it through small buffers, so what this JVM's RSS grows by is the broker's
 * holding of it: one copy (the decoder sizes its buffer for the announced body at once, and the
 * outgoing PUBLISH shares that buffer's slice). Measured: 328 MB of growth (404 MB before the
 * decoder stopped growing by doubling).
 */
public class HugeMessageTest {
    private static final int MB = 1 << 20;
    /** 256 MB less a little: MQTT's Remaining Length tops out at 256 MB - 1 (268,435,455). */
    private static final int PAYLOAD = 256 * MB - 64;

    @Rule
    public final TestBroker broker = new TestBroker().with("max_packet_size", 256L * MB);

    @Test
    public void a256MbMessagePassesThroughHeldOncePerHop() throws Exception {
        try (Socket sub = new Socket("127.0.0.1", broker.port()); Socket pub = new Socket("127.0.0.1", broker.port())) {
            sub.setSoTimeout(60_000);
            connect(sub, "huge-sub");
            sub.getOutputStream().write(new byte[] {(byte) 0x82, 8, 0, 1, 0, 3, 'b', 'i', 'g', 0});
            assertArrayEquals(new byte[] {(byte) 0x90, 3, 0, 1, 0}, sub.getInputStream().readNBytes(5));
            connect(pub, "huge-pub");
            long before = rssBytes();
            AtomicLong peak = new AtomicLong(before);
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> readPublish(sub, peak));
            OutputStream out = pub.getOutputStream();
            int remaining = 2 + 3 + PAYLOAD;
            out.write(new byte[] {0x30});
            out.write(varInt(remaining));
            out.write(new byte[] {0, 3, 'b', 'i', 'g'});
            byte[] chunk = new byte[MB];
            for (int left = PAYLOAD; left > 0; left -= chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, left));
                peak.accumulateAndGet(rssBytes(), Math::max);
            }
            out.flush();
            assertEquals(PAYLOAD, (long) received.get(120, TimeUnit.SECONDS));
            long growthMb = (peak.get() - before) / MB;
            System.out.println("RSS growth while a 256 MB message passed: " + growthMb + " MB");
            // one copy is 256 MB, plus slack for the JVM; a second (or a half) copy would pass 384
            assertTrue("RSS grew " + growthMb + " MB", growthMb < 256 + 128);
        }
    }

    private static Long readPublish(Socket sub, AtomicLong peak) {
        try {
            DataInputStream in = new DataInputStream(sub.getInputStream());
            assertEquals(0x30, in.readUnsignedByte());
            int length = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.readUnsignedByte();
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            in.readNBytes(5); // topic "big"
            long payload = 0;
            byte[] buf = new byte[MB];
            long left = length - 5;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                left -= n;
                payload += n;
                peak.accumulateAndGet(rssBytes(), Math::max);
            }
            return payload;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void connect(Socket s, String id) throws Exception {
        byte[] c = new byte[14 + id.length()];
        System.arraycopy(new byte[] {0x10, (byte) (12 + id.length()), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0,
                (byte) id.length()}, 0, c, 0, 14);
        System.arraycopy(id.getBytes(), 0, c, 14, id.length());
        s.getOutputStream().write(c);
        InputStream in = s.getInputStream();
        assertArrayEquals(new byte[] {0x20, 2, 0, 0}, in.readNBytes(4));
    }

    private static byte[] varInt(int v) {
        byte[] out = new byte[4];
        int n = 0;
        do {
            int b = v & 0x7F;
            v >>>= 7;
            out[n++] = (byte) (v > 0 ? b | 0x80 : b);
        } while (v > 0);
        return java.util.Arrays.copyOf(out, n);
    }

    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }
}
