package io.aviary.bridge.mqtt;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** MQTT 3.1 (proto_ver v3) and 3.1.1 (v4) through Paho's mqttv3 client, with manual acks. */
final class PahoV3Client implements RemoteClient {
    private final MqttAsyncClient client;
    private HostnameMatch hostnames;
    private final MqttConnectOptions options = new MqttConnectOptions();

    PahoV3Client(ConnectorSettings s, String clientId, Listener listener) {
        try {
            client = new MqttAsyncClient(s.uri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("field 'server': " + Errors.describe(e), e);
        }
        options.setMqttVersion(s.protoVer().equals("v3") ? MqttConnectOptions.MQTT_VERSION_3_1
                : MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(s.cleanStart());
        options.setKeepAliveInterval(s.keepaliveSeconds());
        options.setConnectionTimeout(s.connectTimeoutSeconds());
        options.setMaxInflight(s.maxInflight());
        options.setAutomaticReconnect(false);
        if (s.username() != null) {
            options.setUserName(s.username());
        }
        if (s.password() != null) {
            options.setPassword(s.password().toCharArray());
        }
        if (s.ssl().enable()) {
            options.setSocketFactory(s.ssl().socketFactory(s.host()));
            options.setHttpsHostnameVerificationEnabled(false); // Paho's own check ignores server_name_indication
            hostnames = s.ssl().hostnameVerifier(s.host());
            options.setSSLHostnameVerifier(hostnames);
        }
        client.setManualAcks(true);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                listener.lost(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                listener.arrived(new Incoming(topic, m.getPayload(), m.getQos(), m.isRetained(), m.isDuplicate(), m.getId(),
                        Map.of(), List.of()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    @Override
    public CompletableFuture<Void> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.connect(options, null, listener(done, t -> null));
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        HostnameMatch h = hostnames;
        if (h == null) {
            return done;
        }
        return done.exceptionallyCompose(e -> {
            String why = h.takeFailure();
            return CompletableFuture.failedFuture(why == null ? e : new javax.net.ssl.SSLPeerUnverifiedException(why));
        });
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain,
            List<Map.Entry<String, String>> userProperties) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.publish(topic, payload, qos, retain, null, listener(done, t -> null));
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public CompletableFuture<Integer> subscribe(String filter, int qos, boolean noLocal, boolean retainAsPublished) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            client.subscribe(filter, qos, null, listener(done, t -> {
                int granted = t.getGrantedQos() == null || t.getGrantedQos().length == 0 ? qos : t.getGrantedQos()[0];
                if (granted == 0x80) {
                    throw new IllegalStateException("the remote broker refused the subscription to " + filter + " (0x80)");
                }
                return granted;
            }));
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void ack(Incoming message) {
        if (message.qos() == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(message.id(), message.qos());
        } catch (MqttException | RuntimeException e) {
            // the connection is gone: the remote broker sends the message again on a resumed session
        }
    }

    @Override
    public void disconnect() {
        try {
            client.disconnectForcibly(0, 1000);
        } catch (MqttException | RuntimeException e) {
            // already gone
        }
    }

    /** Sends DISCONNECT without waiting for anything, then releases the client's threads. */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            if (client.isConnected()) {
                client.disconnect(0, null, listener(done, t -> null));
            } else {
                done.complete(null);
            }
        } catch (MqttException | RuntimeException e) {
            done.complete(null);
        }
        done.orTimeout(2, java.util.concurrent.TimeUnit.SECONDS).whenComplete((v, e) -> {
            try {
                client.close(true);
            } catch (MqttException | RuntimeException ignored) {
                // nothing left to release
            }
        });
    }

    private interface Result<T> {
        T of(IMqttToken token);
    }

    private static <T> IMqttActionListener listener(CompletableFuture<T> done, Result<T> result) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                try {
                    done.complete(result.of(token));
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                done.completeExceptionally(e);
            }
        };
    }
}
