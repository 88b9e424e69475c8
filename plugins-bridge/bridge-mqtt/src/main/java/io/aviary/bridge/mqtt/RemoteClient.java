package io.aviary.bridge.mqtt;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One MQTT client connection to the remote broker, whatever the protocol version: Paho has one
 * client for MQTT 3.1/3.1.1 and another for MQTT 5, and the rest of the plugin should not care.
 * Reconnecting is {@link RemoteSession}'s job, so an implementation only connects once per call.
 */
interface RemoteClient extends AutoCloseable {

    /** A message the remote broker delivered; {@code id} is what {@link #ack} takes. */
    record Incoming(String topic, byte[] payload, int qos, boolean retain, boolean dup, int id,
            Map<String, Object> pubProps, List<Map.Entry<String, String>> userProperties) {}

    /** What the client reports back: messages, and the connection going away with the reason. */
    interface Listener {
        void arrived(Incoming message);

        void lost(Throwable cause);
    }

    /** Opens the connection; completes when CONNACK accepted it, or fails with the real reason. */
    CompletableFuture<Void> connect();

    boolean isConnected();

    /**
     * Publishes; completes on PUBACK (QoS 1) or PUBCOMP (QoS 2), or once written for QoS 0. Fails
     * with {@link PublishRefused} when the broker answered with an error reason code (MQTT 5).
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain,
            List<Map.Entry<String, String>> userProperties);

    /** Subscribes; completes with the granted QoS, fails when the broker refused the filter. */
    CompletableFuture<Integer> subscribe(String filter, int qos, boolean noLocal, boolean retainAsPublished);

    /** Acknowledges an incoming message (PUBACK / PUBCOMP): manual acks are on. */
    void ack(Incoming message);

    /** Drops the connection (the client can connect again); does not throw. */
    void disconnect();

    /** Disconnects and releases the client's threads; does not throw. */
    @Override
    void close();

    /** The remote broker refused a publish with an MQTT 5 reason code. */
    final class PublishRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int reasonCode;

        PublishRefused(int reasonCode, String message) {
            super(message);
            this.reasonCode = reasonCode;
        }
    }
}
