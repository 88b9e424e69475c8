package io.aviary.mqtt.codec;

import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/**
 * Mutated valid packets (flipped bytes, truncation, random splits) never make the decoder throw
 * into the pipeline: every input yields packets and at most one InvalidPacket, which comes last.
 * A fixed seed keeps the run reproducible.
 */
public class HostileInputTest {

    @Test
    public void mutatedPacketsYieldPacketsOrOneFinalInvalidPacketButNeverAnException() {
        Random random = new Random(20240611L);
        for (MqttVersion v : MqttVersion.values()) {
            List<byte[]> seeds = new ArrayList<>();
            for (MqttPacket p : Samples.clientPackets(v)) {
                seeds.add(encode(p, v));
                ReferenceCountUtil.release(p);
            }
            for (int i = 0; i < 1500; i++) {
                byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
                feed(Wire.connected(v), input, random);
            }
        }
    }

    private static void feed(EmbeddedChannel ch, byte[] input, Random random) {
        int pos = 0;
        while (pos < input.length) {
            int n = 1 + random.nextInt(input.length - pos);
            ch.writeInbound(Unpooled.wrappedBuffer(input, pos, n));
            pos += n;
        }
        ch.checkException();
        boolean invalidSeen = false;
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            assertTrue("nothing may follow an InvalidPacket", !invalidSeen);
            assertTrue(msg instanceof MqttPacket || msg instanceof InvalidPacket);
            invalidSeen = msg instanceof InvalidPacket;
            ReferenceCountUtil.release(msg);
        }
        ch.finishAndReleaseAll();
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(3)) {
            case 0:
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                return b;
            case 1:
                return java.util.Arrays.copyOf(b, random.nextInt(b.length));
            default:
                for (int k = 0; k < 3; k++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
        }
    }

    private static byte[] encode(MqttPacket p, MqttVersion v) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, v);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }
}
