package io.aviary.loadgen;

import java.util.BitSet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * The sending half of a client: paces PUBLISH packets to a rate (or as fast as the socket and the
 * inflight window allow), writes a batch and flushes it once. It runs only on its channel's event
 * loop, so its state needs no locks. The first 8 payload bytes carry System.nanoTime() at send, which
 * subscribers in the same process turn into end-to-end latency.
 */
final class Publisher {
    /** Most packets written per pump before one flush: bounds the time one client holds the loop. */
    private static final int MAX_BATCH = 512;
    /** A paced publisher that fell behind catches up by at most this much of a second, not in one burst. */
    private static final double MAX_BACKLOG_SECONDS = 0.05;

    private final String topic;
    private final MqttQoS qos;
    private final int size;
    private final double rate;
    private final Stats stats;
    private final MqttFixedHeader header;
    private final MqttPublishVariableHeader qos0Header;
    private final BitSet inUse;
    private int window;
    private int inflight;
    private int nextId = 1;
    private boolean running;
    private long startNanos;
    private long paced;

    Publisher(String topic, int qos, int size, double rate, int window, Stats stats) {
        this.topic = topic;
        this.qos = MqttQoS.valueOf(qos);
        this.size = size;
        this.rate = rate;
        this.window = window;
        this.stats = stats;
        this.header = new MqttFixedHeader(MqttMessageType.PUBLISH, false, this.qos, false, 0);
        this.qos0Header = new MqttPublishVariableHeader(topic, 0);
        this.inUse = qos > 0 ? new BitSet(65536) : null;
    }

    /** The broker's Receive Maximum (MQTT 5) may be smaller than the window asked for. */
    void limitWindow(int receiveMaximum) {
        window = Math.max(1, Math.min(window, receiveMaximum));
    }

    void start() {
        running = true;
        startNanos = System.nanoTime();
        paced = 0;
    }

    void stop() {
        running = false;
    }

    boolean hasInflight() {
        return inflight > 0;
    }

    /** Writes what the pace, the window and the socket allow, then flushes once. */
    void pump(Channel ch) {
        if (!running || !ch.isActive()) {
            return;
        }
        long due = due();
        int written = 0;
        while (due > 0 && written < MAX_BATCH && ch.isWritable() && (inUse == null || inflight < window)) {
            send(ch);
            written++;
            due--;
            paced++;
        }
        if (written > 0) {
            ch.flush();
        }
    }

    private long due() {
        if (rate <= 0) {
            return Long.MAX_VALUE;
        }
        long allowed = (long) ((System.nanoTime() - startNanos) * rate / 1e9);
        long maxBacklog = Math.max(1, (long) (rate * MAX_BACKLOG_SECONDS));
        if (allowed - paced > maxBacklog) {
            paced = allowed - maxBacklog; // behind (window full or slow socket): skip, don't burst
        }
        return allowed - paced;
    }

    private void send(Channel ch) {
        ByteBuf payload = ch.alloc().ioBuffer(size);
        if (size >= Long.BYTES) {
            payload.writeLong(System.nanoTime());
            payload.writeZero(size - Long.BYTES);
        } else {
            payload.writeZero(size);
        }
        MqttPublishVariableHeader variable = qos0Header;
        if (inUse != null) {
            int id = nextFreeId();
            inUse.set(id);
            inflight++;
            variable = new MqttPublishVariableHeader(topic, id);
        }
        ch.write(new MqttPublishMessage(header, variable, payload), ch.voidPromise());
        stats.sent.increment();
    }

    private int nextFreeId() {
        int id = inUse.nextClearBit(nextId);
        if (id > 65535) {
            id = inUse.nextClearBit(1);
        }
        nextId = id == 65535 ? 1 : id + 1;
        return id;
    }

    /** PUBACK (QoS 1) or PUBCOMP (QoS 2): the id is free again. False for an id not in flight. */
    boolean complete(int id, boolean failed) {
        if (inUse == null || id <= 0 || id > 65535 || !inUse.get(id)) {
            return false;
        }
        inUse.clear(id);
        inflight--;
        if (failed) {
            stats.errors.increment();
        } else {
            stats.acked.increment();
        }
        return true;
    }

    boolean isInflight(int id) {
        return inUse != null && id > 0 && id <= 65535 && inUse.get(id);
    }
}
