package io.aviary.broker.session;

import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.Will;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The broker's record layout in the durable store. Every key starts with the tenant, then a
 * record type, then the client id (or topic), each ended by a 0 byte (MQTT strings never hold
 * U+0000), so a tenant's or a session's records share a prefix:
 * <pre>
 *   tenant 0 's' 0 clientId                 session: expiry, disconnected at, client, Will
 *   tenant 0 'u' 0 clientId 0 filter        subscription options
 *   tenant 0 'm' 0 clientId 0 seq(8)        a queued or inflight QoS 1/2 message (packet id from seq)
 *   tenant 0 'c' 0 clientId 0 seq(8)        PUBREC received for that message: only PUBREL is left
 *   tenant 0 'p' 0 clientId 0 seq(8)        packet id(2) that message was sent under, when not the one from seq
 *   tenant 0 'w' 0 clientId 0 packetId(2)   inbound QoS 2 id awaiting PUBREL
 *   tenant 0 'r' 0 topic                    retained message
 *   tenant 0 'd' 0 dueAt(8) seq(8)          delayed publish
 *   tenant 0 'b' 0 kind 0 who               ban-list entry (banned.BanStore)
 * </pre>
 * Values are a version byte and plain DataOutput fields.
 */
public final class StoreRecords {

    public static final byte SESSION = 's';
    public static final byte SUBSCRIPTION = 'u';
    public static final byte MESSAGE = 'm';
    public static final byte RECEIVED = 'c';
    public static final byte AWAITING_REL = 'w';
    public static final byte PACKET_ID = 'p';
    public static final byte RETAINED = 'r';
    public static final byte DELAYED = 'd';
    public static final byte BANNED = 'b';
    /** The session record types, for deleting one session's records by prefix. */
    public static final byte[] SESSION_TYPES = {SESSION, SUBSCRIPTION, MESSAGE, RECEIVED, AWAITING_REL, PACKET_ID};
    private static final int VERSION = 1;

    private StoreRecords() {
    }

    // ---- keys

    /** tenant 0 type 0 name 0 (name = client id or topic); {@code terminated} adds the last 0. */
    public static byte[] prefix(String tenant, byte type, String name, boolean terminated) {
        byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        byte[] n = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        int len = t.length + 3 + n.length + (terminated ? 1 : 0);
        byte[] k = new byte[len];
        System.arraycopy(t, 0, k, 0, t.length);
        k[t.length + 1] = type;
        System.arraycopy(n, 0, k, t.length + 3, n.length);
        return k;
    }

    public static byte[] withLong(byte[] prefix, long v) {
        byte[] k = java.util.Arrays.copyOf(prefix, prefix.length + 8);
        for (int i = 0; i < 8; i++) {
            k[prefix.length + i] = (byte) (v >>> (56 - 8 * i));
        }
        return k;
    }

    public static byte[] withString(byte[] prefix, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] k = java.util.Arrays.copyOf(prefix, prefix.length + b.length);
        System.arraycopy(b, 0, k, prefix.length, b.length);
        return k;
    }

    /** A parsed key: tenant, type, the name after it, and the rest (seq, filter, packet id). */
    public record Key(String tenant, byte type, String name, byte[] rest) {
        public long restLong(int offset) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (rest[offset + i] & 0xFF);
            }
            return v;
        }

        public String restString() {
            return new String(rest, StandardCharsets.UTF_8);
        }
    }

    /** Parses a key; null for keys that are not the broker's (the store's own marker). */
    public static Key parse(byte[] k) {
        int t = indexOf(k, 0);
        if (t <= 0 || t + 2 >= k.length || k[t + 2] != 0) {
            return null;
        }
        String tenant = new String(k, 0, t, StandardCharsets.UTF_8);
        byte type = k[t + 1];
        int start = t + 3;
        if (type == DELAYED) {
            return new Key(tenant, type, "", java.util.Arrays.copyOfRange(k, start, k.length));
        }
        int end = type == SESSION || type == RETAINED ? k.length : indexOf(k, start);
        if (end < 0) {
            return null;
        }
        String name = new String(k, start, end - start, StandardCharsets.UTF_8);
        byte[] rest = end + 1 >= k.length ? new byte[0] : java.util.Arrays.copyOfRange(k, end + 1, k.length);
        return new Key(tenant, type, name, rest);
    }

    private static int indexOf(byte[] k, int from) {
        for (int i = from; i < k.length; i++) {
            if (k[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    // ---- values

    /** A stored session's own fields. {@code disconnectedAt} 0 = connected when last written. */
    public record SessionRecord(long createdAt, long expirySeconds, long disconnectedAt, ClientInfo client,
                                WillMessage will) {
    }

    public static byte[] session(SessionRecord s) {
        return write(out -> {
            out.writeLong(s.createdAt());
            out.writeLong(s.expirySeconds());
            out.writeLong(s.disconnectedAt());
            writeClient(out, s.client());
            out.writeBoolean(s.will() != null);
            if (s.will() != null) {
                Will w = s.will().will();
                writeClient(out, s.will().client());
                out.writeLong(s.will().delaySeconds());
                out.writeUTF(w.topic());
                out.writeInt(w.payload().length);
                out.write(w.payload());
                out.writeByte(w.qos());
                out.writeBoolean(w.retain());
                writeProperties(out, w.properties());
            }
        });
    }

    public static SessionRecord session(String tenant, byte[] v) {
        return read(v, in -> {
            long created = in.readLong();
            long expiry = in.readLong();
            long disconnected = in.readLong();
            ClientInfo client = readClient(in, tenant);
            WillMessage will = null;
            if (in.readBoolean()) {
                ClientInfo wc = readClient(in, tenant);
                long delay = in.readLong();
                String topic = in.readUTF();
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                int qos = in.readByte();
                boolean retain = in.readBoolean();
                will = new WillMessage(wc, new Will(topic, payload, qos, retain, readProperties(in)), delay);
            }
            return new SessionRecord(created, expiry, disconnected, client, will);
        });
    }

    public static byte[] subscription(SubscriptionOptions o) {
        return write(out -> {
            out.writeByte(o.qos());
            out.writeBoolean(o.noLocal());
            out.writeBoolean(o.retainAsPublished());
            out.writeByte(o.retainHandling());
            out.writeInt(o.subscriptionId());
        });
    }

    public static SubscriptionOptions subscription(byte[] v) {
        return read(v, in -> new SubscriptionOptions(in.readByte(), in.readBoolean(), in.readBoolean(), in.readByte(),
                in.readInt()));
    }

    /** A delivery: the message plus this subscriber's QoS, RETAIN flag and Subscription Identifiers. */
    public static byte[] delivery(Delivery d) {
        return write(out -> {
            out.writeByte(d.qos());
            out.writeBoolean(d.retain());
            int[] ids = d.subscriptionIds();
            out.writeShort(ids == null ? 0 : ids.length);
            if (ids != null) {
                for (int id : ids) {
                    out.writeInt(id);
                }
            }
            writeMessage(out, d.message());
        });
    }

    /** The stored delivery, with one reference to its new message for the caller. */
    public static Delivery delivery(String tenant, byte[] v, long seq) {
        return read(v, in -> {
            int qos = in.readByte();
            boolean retain = in.readBoolean();
            int n = in.readShort();
            int[] ids = null;
            if (n > 0) {
                ids = new int[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = in.readInt();
                }
            }
            return new Delivery(readMessage(in, tenant), qos, retain, ids, null, seq, true);
        });
    }

    public static byte[] message(BrokerMessage m) {
        return write(out -> writeMessage(out, m));
    }

    public static BrokerMessage message(String tenant, byte[] v) {
        return read(v, in -> readMessage(in, tenant));
    }

    private static void writeMessage(DataOutputStream out, BrokerMessage m) throws IOException {
        out.writeUTF(m.topic());
        out.writeByte(m.qos());
        out.writeBoolean(m.isRetain());
        out.writeLong(m.timestamp());
        out.writeBoolean(m.publisher() != null);
        if (m.publisher() != null) {
            writeClient(out, m.publisher());
        }
        writeProperties(out, m.properties());
        int len = m.payload().readableBytes();
        out.writeInt(len);
        m.payload().getBytes(m.payload().readerIndex(), out, len);
    }

    private static BrokerMessage readMessage(DataInputStream in, String tenant) throws IOException {
        String topic = in.readUTF();
        int qos = in.readByte();
        boolean retain = in.readBoolean();
        long timestamp = in.readLong();
        ClientInfo publisher = in.readBoolean() ? readClient(in, tenant) : null;
        MqttProperties props = readProperties(in);
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return new BrokerMessage(tenant, topic, qos, retain, props, Unpooled.wrappedBuffer(payload), publisher, timestamp);
    }

    private static void writeClient(DataOutputStream out, ClientInfo c) throws IOException {
        out.writeUTF(c.clientId());
        writeNullable(out, c.username());
        writeNullable(out, c.protocol());
        out.writeByte(c.protocolVersion());
        writeNullable(out, c.listener());
    }

    private static ClientInfo readClient(DataInputStream in, String tenant) throws IOException {
        String id = in.readUTF();
        String user = readNullable(in);
        String protocol = readNullable(in);
        int version = in.readByte();
        String listener = readNullable(in);
        return new ClientInfo(tenant, id, user, null, protocol, version, listener, null, null, Map.of());
    }

    /** The properties a stored message or Will carries (those a PUBLISH forwards). */
    private static void writeProperties(DataOutputStream out, MqttProperties p) throws IOException {
        out.writeInt(p.payloadFormatIndicator() == null ? -1 : p.payloadFormatIndicator());
        out.writeLong(p.messageExpiryInterval() == null ? -1 : p.messageExpiryInterval());
        writeNullable(out, p.contentType());
        writeNullable(out, p.responseTopic());
        byte[] corr = p.correlationData();
        out.writeInt(corr == null ? -1 : corr.length);
        if (corr != null) {
            out.write(corr);
        }
        out.writeLong(p.has(PropertyId.WILL_DELAY_INTERVAL) ? p.willDelayInterval() : -1);
        out.writeShort(p.userProperties().size());
        for (Map.Entry<String, String> e : p.userProperties()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static MqttProperties readProperties(DataInputStream in) throws IOException {
        MqttProperties.Builder b = MqttProperties.builder();
        int pfi = in.readInt();
        if (pfi >= 0) {
            b.set(PropertyId.PAYLOAD_FORMAT_INDICATOR, pfi);
        }
        long expiry = in.readLong();
        if (expiry >= 0) {
            b.set(PropertyId.MESSAGE_EXPIRY_INTERVAL, expiry);
        }
        String ct = readNullable(in);
        if (ct != null) {
            b.set(PropertyId.CONTENT_TYPE, ct);
        }
        String rt = readNullable(in);
        if (rt != null) {
            b.set(PropertyId.RESPONSE_TOPIC, rt);
        }
        int corrLen = in.readInt();
        if (corrLen >= 0) {
            byte[] corr = new byte[corrLen];
            in.readFully(corr);
            b.set(PropertyId.CORRELATION_DATA, corr);
        }
        long willDelay = in.readLong();
        if (willDelay >= 0) {
            b.set(PropertyId.WILL_DELAY_INTERVAL, willDelay);
        }
        int users = in.readShort();
        for (int i = 0; i < users; i++) {
            b.userProperty(in.readUTF(), in.readUTF());
        }
        return b.build();
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] v, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(v))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("record version " + version + ", expected " + VERSION);
            }
            return r.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
