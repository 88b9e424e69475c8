package io.aviary.bridge.mqtt;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The remote broker of these tests: the Mosquitto that scripts/services.sh started (its port in
 * target/services/mosquitto/port), and plain Paho clients on it that play the remote side's devices.
 */
final class Peers {
    private Peers() {
    }

    static int mosquittoPort() {
        Path file = Path.of("../../target/services/mosquitto/port");
        try {
            return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new IllegalStateException("Mosquitto is not running: start it with scripts/services.sh up mosquitto ("
                    + file.toAbsolutePath().normalize() + " is missing)", e);
        }
    }

    static String server() {
        return "127.0.0.1:" + mosquittoPort();
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed again when this returns: nothing listens there
        }
    }

    static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A subscriber on the remote broker that queues what it receives. */
    static final class Subscriber implements AutoCloseable {
        final BlockingQueue<MqttMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<String> topics = new LinkedBlockingQueue<>();
        private final MqttClient client;

        Subscriber(int port, String filter, int qos) throws Exception {
            client = new MqttClient("tcp://127.0.0.1:" + port, "sub-" + UUID.randomUUID(), new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    topics.add(topic);
                    messages.add(message);
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            client.connect(o);
            client.subscribe(filter, qos);
        }

        List<String> drainPayloads() {
            List<MqttMessage> out = new ArrayList<>();
            messages.drainTo(out);
            return out.stream().map(m -> new String(m.getPayload(), StandardCharsets.UTF_8)).toList();
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    /** Publishes on the remote broker as one of its own devices would. */
    static void publish(int port, String topic, String payload, int qos) throws Exception {
        try (MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, "pub-" + UUID.randomUUID(), new MemoryPersistence())) {
            c.connect();
            c.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
            c.disconnect();
        }
    }
}
