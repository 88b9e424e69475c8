package io.aviary.broker.session;

/**
 * An outbound QoS 1/2 message sent and not yet completed. {@code delivery} is null once PUBREC
 * arrived (QoS 2 waiting for PUBCOMP): the payload is no longer needed and has been released.
 */
public final class InflightEntry {

    private final int packetId;
    /** The delivery's record in a durable session (0 if none): kept after PUBREC releases the delivery. */
    private final long seq;
    private Delivery delivery;
    private volatile long sentAt;
    private boolean deferred;

    public InflightEntry(int packetId, Delivery delivery) {
        this.packetId = packetId;
        this.delivery = delivery;
        this.seq = delivery == null ? 0 : delivery.seq();
    }

    /** A QoS 2 message restored after PUBREC: only its PUBREL is left to send. */
    public InflightEntry(int packetId, long seq) {
        this.packetId = packetId;
        this.seq = seq;
    }

    public long seq() {
        return seq;
    }

    public int packetId() {
        return packetId;
    }

    public Delivery delivery() {
        return delivery;
    }

    /** PUBREC received: drops the message (releasing its reference); returns false if already released. */
    public boolean markReleased() {
        if (delivery == null) {
            return false;
        }
        delivery.message().release();
        delivery = null;
        return true;
    }

    /** When the PUBLISH (or PUBREL) was last written, for retry_interval. */
    public long sentAt() {
        return sentAt;
    }

    public void sentAt(long when) {
        sentAt = when;
    }

    /**
     * True while a PUBLISH sent on an earlier connection waits for a free slot of the current
     * one's Receive Maximum before it is re-sent [MQTT-4.9.0-2]. Guarded by the Session's monitor.
     */
    public boolean deferred() {
        return deferred;
    }

    public void deferred(boolean value) {
        deferred = value;
    }

    public boolean released() {
        return delivery == null;
    }
}
