package io.aviary.bridge.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** MQTT 5 (proto_ver v5) through Paho's mqttv5 client, with manual acks, user properties and No Local. */
final class PahoV5Client implements RemoteClient {
    private final MqttAsyncClient client;
    private HostnameMatch hostnames;
    private final MqttConnectionOptions options = new MqttConnectionOptions();

    PahoV5Client(ConnectorSettings s, String clientId, Listener listener) {
        try {
            client = new MqttAsyncClient(s.uri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("field 'server': " + Errors.describe(e), e);
        }
        options.setCleanStart(s.cleanStart());
        if (!s.cleanStart()) {
            options.setSessionExpiryInterval(0xFFFFFFFFL); // the session survives our reconnects
        }
        options.setKeepAliveInterval(s.keepaliveSeconds());
        options.setConnectionTimeout(s.connectTimeoutSeconds());
        options.setReceiveMaximum(Math.min(65535, s.maxInflight()));
        options.setAutomaticReconnect(false);
        if (s.username() != null) {
            options.setUserName(s.username());
        }
        if (s.password() != null) {
            options.setPassword(s.password().getBytes(StandardCharsets.UTF_8));
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
            public void disconnected(MqttDisconnectResponse response) {
                Throwable cause = response.getException() != null ? response.getException()
                        : new IllegalStateException("disconnected by the remote broker: reason code " + response.getReturnCode()
                                + (response.getReasonString() == null ? "" : " " + response.getReasonString()));
                listener.lost(cause);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                List<Map.Entry<String, String>> users = new ArrayList<>();
                Map<String, Object> props = properties(m.getProperties(), users);
                listener.arrived(new Incoming(topic, m.getPayload(), m.getQos(), m.isRetained(), m.isDuplicate(), m.getId(),
                        props, users));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
    }

    /** EMQX's pub_props column: the message's MQTT 5 properties under their specification names. */
    private static Map<String, Object> properties(MqttProperties p, List<Map.Entry<String, String>> users) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (p == null) {
            return out;
        }
        if (p.getPayloadFormat()) {
            out.put("Payload-Format-Indicator", 1L);
        }
        if (p.getMessageExpiryInterval() != null) {
            out.put("Message-Expiry-Interval", p.getMessageExpiryInterval());
        }
        if (p.getContentType() != null) {
            out.put("Content-Type", p.getContentType());
        }
        if (p.getResponseTopic() != null) {
            out.put("Response-Topic", p.getResponseTopic());
        }
        if (p.getCorrelationData() != null) {
            out.put("Correlation-Data", new String(p.getCorrelationData(), StandardCharsets.UTF_8));
        }
        List<UserProperty> ups = p.getUserProperties();
        if (ups != null && !ups.isEmpty()) {
            Map<String, Object> map = new LinkedHashMap<>();
            List<Object> pairs = new ArrayList<>();
            for (UserProperty u : ups) {
                users.add(Map.entry(u.getKey(), u.getValue()));
                map.put(u.getKey(), u.getValue());
                pairs.add(Map.of("key", u.getKey(), "value", u.getValue()));
            }
            out.put("User-Property", map);
            out.put("User-Property-Pairs", pairs);
        }
        return out;
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
        MqttProperties props = new MqttProperties();
        if (!userProperties.isEmpty()) {
            List<UserProperty> list = new ArrayList<>(userProperties.size());
            userProperties.forEach(e -> list.add(new UserProperty(e.getKey(), e.getValue())));
            props.setUserProperties(list);
        }
        try {
            client.publish(topic, new MqttMessage(payload, qos, retain, props), null, listener(done, t -> {
                int[] codes = t.getReasonCodes();
                if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                    throw new PublishRefused(codes[0], "the remote broker refused the message: reason code 0x"
                            + Integer.toHexString(codes[0]));
                }
                return null;
            }));
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public CompletableFuture<Integer> subscribe(String filter, int qos, boolean noLocal, boolean retainAsPublished) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        MqttSubscription sub = new MqttSubscription(filter, qos);
        sub.setNoLocal(noLocal);
        sub.setRetainAsPublished(retainAsPublished);
        try {
            client.subscribe(new MqttSubscription[] {sub}, null, listener(done, t -> {
                int[] codes = t.getReasonCodes();
                int granted = codes == null || codes.length == 0 ? qos : codes[0];
                if (granted >= 0x80) {
                    throw new IllegalStateException("the remote broker refused the subscription to " + filter
                            + ": reason code 0x" + Integer.toHexString(granted));
                }
                return granted;
            }), new MqttProperties());
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
            client.disconnectForcibly(0, 1000, false);
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
                client.disconnect(0, null, listener(done, t -> null), 0, new MqttProperties());
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

    private static <T> MqttActionListener listener(CompletableFuture<T> done, Result<T> result) {
        return new MqttActionListener() {
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
                if (e instanceof MqttException me && me.getReasonCode() >= 0x80 && me.getReasonCode() < 0x100) {
                    done.completeExceptionally(new PublishRefused(me.getReasonCode(), Errors.describe(me)));
                    return;
                }
                done.completeExceptionally(e);
            }
        };
    }
}
