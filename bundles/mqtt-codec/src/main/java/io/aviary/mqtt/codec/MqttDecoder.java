package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames and decodes MQTT packets with strict validation. It checks the fixed header first:
 * reserved flag bits, and the declared size against the maximum packet size, refusing an
 * oversized packet before any of its body is buffered. Only then does it wait for the body and
 * hand it, as a bounded slice, to {@link PacketReader}. Bad input never throws into the
 * pipeline: the decoder emits one {@link InvalidPacket} and from then on discards every byte.
 *
 * <p>Server side ({@link #MqttDecoder(int)}) the first packet must be CONNECT, whose protocol
 * level sets {@link MqttCodec#VERSION}; client side ({@link #MqttDecoder(int, MqttVersion)})
 * the version is given and server-to-client packets are expected. The Maximum Packet Size
 * announced in a CONNECT or CONNACK sets {@link MqttCodec#PEER_MAXIMUM_PACKET_SIZE}.
 */
public class MqttDecoder extends ByteToMessageDecoder {
    private final boolean serverSide;
    private volatile int maxPacketSize;
    private MqttVersion version;
    private boolean connectSeen;
    private boolean failed;
    /** Body length of the packet whose fixed header was read, or -1. */
    private int pendingRemaining = -1;
    private int pendingHeader;

    /** Server side: expects CONNECT first and learns the version from it. */
    public MqttDecoder(int maxPacketSize) {
        this(maxPacketSize, null, true);
    }

    /** Client side: decodes what a server sends, in the given version. */
    public MqttDecoder(int maxPacketSize, MqttVersion version) {
        this(maxPacketSize, version, false);
    }

    private MqttDecoder(int maxPacketSize, MqttVersion version, boolean serverSide) {
        setMaxPacketSize(maxPacketSize);
        this.version = version;
        this.serverSide = serverSide;
        setCumulator(this::cumulate);
    }

    /** Bodies above this size get their whole buffer at once instead of growing by doubling. */
    private static final int PRESIZE_ABOVE = 64 * 1024;

    /**
     * Netty's merge cumulator grows its buffer by doubling, so a large packet would be copied
     * several times and, while the last copy is made, held one and a half times. Once the fixed
     * header has announced a large body, the buffer is sized for the whole body in one step: a
     * 256 MB PUBLISH is held once, and its payload slice is that one copy.
     */
    private ByteBuf cumulate(io.netty.buffer.ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        int body = pendingRemaining;
        if (body > PRESIZE_ABOVE && cumulation.readableBytes() < body
                && cumulation.writableBytes() < in.readableBytes() && cumulation.capacity() < body) {
            int size = Math.max(body, cumulation.readableBytes() + in.readableBytes());
            ByteBuf whole = alloc.buffer(size);
            try {
                whole.writeBytes(cumulation).writeBytes(in);
                return whole;
            } finally {
                cumulation.release();
                in.release();
            }
        }
        return MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
    }

    /**
     * The largest whole packet (fixed header included) accepted; larger ones yield InvalidPacket
     * 0x95 Packet Too Large. Applies from the next fixed header on.
     */
    public void setMaxPacketSize(int maxPacketSize) {
        if (maxPacketSize < 2) {
            throw new IllegalArgumentException("maxPacketSize " + maxPacketSize);
        }
        this.maxPacketSize = Math.min(maxPacketSize, MqttCodec.MAX_PACKET_SIZE);
    }

    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** The version in use: given (client side) or learned from CONNECT; null before CONNECT. */
    public MqttVersion version() {
        return version;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeOne(ctx, in, out);
        } catch (DecodeException e) {
            fail(ctx, in, out, pendingType(), e.reasonCode(), e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            fail(ctx, in, out, pendingType(), ReasonCode.MALFORMED_PACKET, "packet content runs past its remaining length");
        } catch (IllegalArgumentException e) {
            // A value the model refuses that no explicit check caught: still the peer's fault, never ours to throw.
            fail(ctx, in, out, pendingType(), ReasonCode.MALFORMED_PACKET, e.getMessage());
        }
    }

    private void decodeOne(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (pendingRemaining < 0 && !readFixedHeader(in)) {
            return;
        }
        if (in.readableBytes() < pendingRemaining) {
            return; // wait for the body; its size was checked against maxPacketSize
        }
        ByteBuf body = in.readSlice(pendingRemaining);
        int header = pendingHeader;
        pendingRemaining = -1;
        PacketType type = PacketType.fromValue(header >>> 4);
        MqttPacket packet = readBody(ctx, type, header & 0x0F, body);
        if (body.isReadable()) {
            if (packet instanceof PublishPacket p) {
                p.release();
            }
            throw DecodeException.malformed(type + " has " + body.readableBytes()
                    + " bytes beyond its content (remaining length too long)");
        }
        out.add(packet);
    }

    private MqttPacket readBody(ChannelHandlerContext ctx, PacketType type, int flags, ByteBuf body) {
        if (type == PacketType.CONNECT) {
            connectSeen = true;
            ConnectPacket c = ConnectReader.read(body, v -> connectVersion(ctx, v));
            peerMaximumPacketSize(ctx, c.version().isV5() ? c.properties() : MqttProperties.EMPTY);
            return c;
        }
        MqttPacket p = new PacketReader(type, flags, version, serverSide).read(body);
        if (p instanceof ConnAckPacket c && version.isV5()) {
            peerMaximumPacketSize(ctx, c.properties());
        }
        return p;
    }

    /** Records the peer's Maximum Packet Size for the encoder (see {@link MqttCodec#PEER_MAXIMUM_PACKET_SIZE}). */
    private static void peerMaximumPacketSize(ChannelHandlerContext ctx, MqttProperties props) {
        Long max = props.maximumPacketSize();
        if (max != null) {
            ctx.channel().attr(MqttCodec.PEER_MAXIMUM_PACKET_SIZE).set(max);
        }
    }

    /** Reads and checks the fixed header; false if more bytes are needed. */
    private boolean readFixedHeader(ByteBuf in) {
        if (in.readableBytes() < 2) {
            return false;
        }
        int header = in.getUnsignedByte(in.readerIndex());
        pendingHeader = header;
        long vbi = VariableByteInteger.peek(in, in.readerIndex() + 1, in.readableBytes() - 1);
        if (vbi == VariableByteInteger.INCOMPLETE) {
            return false;
        }
        int lengthBytes = (int) (vbi >>> 32);
        int remaining = (int) vbi;
        checkType(header);
        long total = 1L + lengthBytes + remaining;
        if (total > maxPacketSize) {
            in.skipBytes(1 + lengthBytes);
            throw new DecodeException(ReasonCode.PACKET_TOO_LARGE, "packet of " + total
                    + " bytes exceeds the maximum packet size " + maxPacketSize);
        }
        in.skipBytes(1 + lengthBytes);
        pendingRemaining = remaining;
        return true;
    }

    /** Packet type, direction, order and reserved flag bits [MQTT-2.1.3-1], from the first byte. */
    private void checkType(int header) {
        PacketType type = PacketType.fromValue(header >>> 4);
        if (type == null) {
            throw DecodeException.malformed("reserved packet type 0");
        }
        if (type == PacketType.AUTH && version != null && !version.isV5()) {
            throw DecodeException.malformed("AUTH is a reserved packet type before MQTT 5");
        }
        int required = type.requiredFlags();
        if (required >= 0 && (header & 0x0F) != required) {
            throw DecodeException.malformed(String.format("%s fixed header flags must be 0x%X, were 0x%X [MQTT-2.1.3-1]",
                    type, required, header & 0x0F));
        }
        if (serverSide) {
            checkServerSideOrder(type);
        } else if (!Direction.serverSends(type)) {
            throw DecodeException.protocolError(type + " is not sent by a server");
        }
    }

    private void checkServerSideOrder(PacketType type) {
        if (!connectSeen && type != PacketType.CONNECT) {
            throw DecodeException.protocolError("first packet must be CONNECT, was " + type + " [MQTT-3.1.0-1]");
        }
        if (connectSeen && type == PacketType.CONNECT) {
            throw DecodeException.protocolError("second CONNECT [MQTT-3.1.0-2]");
        }
        if (!Direction.clientSends(type)) {
            throw DecodeException.protocolError(type + " is not sent by a client");
        }
    }

    /** Called as soon as the CONNECT protocol level is read, so that even a broken CONNECT can be answered in its version. */
    private void connectVersion(ChannelHandlerContext ctx, MqttVersion v) {
        version = v;
        ctx.channel().attr(MqttCodec.VERSION).set(v);
    }

    private PacketType pendingType() {
        return PacketType.fromValue(pendingHeader >>> 4);
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, PacketType type, int reason, String message) {
        failed = true;
        in.skipBytes(in.readableBytes());
        // Not logged here: the codec imports only Netty; the broker logs the InvalidPacket once, with tenant and client id.
        out.add(new InvalidPacket(type, reason, message));
    }
}
