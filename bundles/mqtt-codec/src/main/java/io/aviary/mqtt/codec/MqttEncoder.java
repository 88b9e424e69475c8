package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Encodes packets in the channel's MQTT version ({@link MqttCodec#VERSION}, 3.1.1 until set),
 * dropping what an older version cannot carry (properties, reason codes on acks, AUTH is
 * refused). Stateless and shared. A PUBLISH goes out as two buffers, a small header and a
 * retained slice of the payload, so the payload is never copied and may be shared by many
 * subscribers. Packets that cannot be encoded (e.g. a property not allowed on the packet type)
 * fail the write's promise with an EncoderException. Under MQTT 5 it leaves out a Reason String
 * and User Properties that would exceed the peer's Maximum Packet Size
 * ({@link MqttCodec#PEER_MAXIMUM_PACKET_SIZE}), the one place every packet type passes.
 */
@Sharable
public class MqttEncoder extends MessageToMessageEncoder<MqttPacket> {
    public static final MqttEncoder INSTANCE = new MqttEncoder();

    /**
     * Payloads up to this size are copied after the header into one pooled buffer; larger ones are
     * written as a slice of the publisher's buffer (never copied, whatever their size).
     */
    static final int COPY_PAYLOAD_MAX = 512;

    public MqttEncoder() {
        super(MqttPacket.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MqttPacket msg, List<Object> out) {
        MqttVersion version = versionOf(ctx);
        if (msg instanceof PublishPacket p) {
            ByteBuf payload = p.payload();
            int size = payload.readableBytes();
            if (size <= COPY_PAYLOAD_MAX) { // one buffer: cheaper than a slice and a second write for small payloads
                ByteBuf b = PacketWriter.writeHeaderAndBody(ctx.alloc(), p, version, size, size);
                out.add(b.writeBytes(payload, payload.readerIndex(), size));
            } else {
                out.add(PacketWriter.writeHeaderAndBody(ctx.alloc(), p, version, size));
                out.add(payload.retainedSlice());
            }
        } else {
            ByteBuf b = PacketWriter.writeHeaderAndBody(ctx.alloc(), msg, version, 0);
            if (version.isV5() && OptionalProperties.present(msg)) {
                b = withinPeerLimit(ctx, msg, version, b);
            }
            out.add(b);
        }
        // MessageToMessageEncoder releases msg (and so a PUBLISH payload's reference) after this.
    }

    /**
     * The packet as written, or written again without its User Properties and then without its
     * Reason String, as far as needed to fit the peer's Maximum Packet Size: those two are the
     * only properties the spec lets a sender drop to fit (e.g. [MQTT-3.2.2-19/20]).
     */
    private static ByteBuf withinPeerLimit(ChannelHandlerContext ctx, MqttPacket msg, MqttVersion version, ByteBuf b) {
        Long limit = ctx.channel().attr(MqttCodec.PEER_MAXIMUM_PACKET_SIZE).get();
        MqttPacket smaller = msg;
        while (limit != null && b.readableBytes() > limit && (smaller = OptionalProperties.dropOne(smaller)) != null) {
            b.release();
            b = PacketWriter.writeHeaderAndBody(ctx.alloc(), smaller, version, 0);
        }
        return b;
    }

    private static MqttVersion versionOf(ChannelHandlerContext ctx) {
        MqttVersion v = ctx.channel().attr(MqttCodec.VERSION).get();
        return v != null ? v : MqttVersion.MQTT_3_1_1;
    }

    /**
     * Encodes one packet into a single buffer that the caller owns. The packet is not released;
     * a PUBLISH payload is included as a retained slice (a composite buffer), not a copy. A
     * CONNECT is always written in its own {@link ConnectPacket#version()}.
     *
     * @throws IllegalArgumentException if the packet cannot be encoded in this version
     */
    public static ByteBuf encode(ByteBufAllocator alloc, MqttPacket packet, MqttVersion version) {
        MqttVersion v = packet instanceof ConnectPacket c ? c.version() : version;
        if (!(packet instanceof PublishPacket p) || !p.payload().isReadable()) {
            return PacketWriter.writeHeaderAndBody(alloc, packet, v, 0);
        }
        ByteBuf header = PacketWriter.writeHeaderAndBody(alloc, p, v, p.payload().readableBytes());
        CompositeByteBuf whole = alloc.compositeBuffer(2);
        whole.addComponents(true, header, p.payload().retainedSlice());
        return whole;
    }

    /**
     * The size in bytes of the whole packet on the wire (fixed header included), to compare with
     * a peer's Maximum Packet Size. Computed without encoding for PUBLISH, the hot path.
     */
    public static int encodedSize(MqttPacket packet, MqttVersion version) {
        if (packet instanceof PublishPacket p) {
            long remaining = Fields.stringSize(p.topic()) + (p.qos() > 0 ? 2 : 0)
                    + (version.isV5() ? p.propertiesSizeWithPrefix() : 0) + p.payload().readableBytes();
            return (int) Math.min(Integer.MAX_VALUE, 1 + VariableByteInteger.size((int) Math.min(remaining,
                    MqttCodec.MAX_VARIABLE_BYTE_INT)) + remaining);
        }
        ByteBuf b = encode(ByteBufAllocator.DEFAULT, packet, version);
        try {
            return b.readableBytes();
        } finally {
            b.release();
        }
    }
}
