package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientConfig;
import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.ongres.scram.client.ScramClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.annotations.NotNull;
import org.junit.After;
import org.junit.Test;

/**
 * SCRAM-SHA-256 end to end: a tenant adds EMQX's scram built-in database authenticator and its
 * users through the API, and the HiveMQ MQTT client performs the real MQTT 5 AUTH exchange with
 * an independent SCRAM client implementation (ongres scram-client), which also checks the
 * server's final signature. Wrong passwords get 0x86, unknown users 0x87 (the chain decides),
 * and a connected client re-authenticates.
 */
public class ScramAuthIT {
    private static final String USERS = "/authentication/scram:built_in_database/users";

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    /** HiveMQ's enhanced-auth hook driving an ongres SCRAM client; counts verified server signatures. */
    static final class Scram implements Mqtt5EnhancedAuthMechanism {
        private final String user;
        private final String password;
        final AtomicInteger verified = new AtomicInteger();
        private ScramClient scram;

        Scram(String user, String password) {
            this.user = user;
            this.password = password;
        }

        private void start(Mqtt5EnhancedAuthBuilder builder) {
            scram = ScramClient.builder().advertisedMechanisms(List.of("SCRAM-SHA-256")).username(user)
                    .password(password.toCharArray()).build();
            builder.data(scram.clientFirstMessage().toString().getBytes(StandardCharsets.UTF_8));
        }

        private static String text(ByteBuffer b) {
            return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
        }

        private CompletableFuture<Boolean> serverFinal(java.util.Optional<ByteBuffer> data) {
            try {
                scram.serverFinalMessage(text(data.orElseThrow()));
                verified.incrementAndGet();
                return CompletableFuture.completedFuture(true);
            } catch (Exception e) {
                return CompletableFuture.completedFuture(false);
            }
        }

        @Override
        public @NotNull MqttUtf8String getMethod() {
            return MqttUtf8String.of("SCRAM-SHA-256");
        }

        @Override
        public int getTimeout() {
            return 10;
        }

        @Override
        public @NotNull CompletableFuture<Void> onAuth(@NotNull Mqtt5ClientConfig config, @NotNull Mqtt5Connect connect,
                                                       @NotNull Mqtt5EnhancedAuthBuilder builder) {
            start(builder);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public @NotNull CompletableFuture<Void> onReAuth(@NotNull Mqtt5ClientConfig config, @NotNull Mqtt5AuthBuilder builder) {
            start(builder);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public @NotNull CompletableFuture<Boolean> onServerReAuth(@NotNull Mqtt5ClientConfig config,
                                                                  @NotNull Mqtt5Auth auth, @NotNull Mqtt5AuthBuilder builder) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public @NotNull CompletableFuture<Boolean> onContinue(@NotNull Mqtt5ClientConfig config, @NotNull Mqtt5Auth auth,
                                                              @NotNull Mqtt5AuthBuilder builder) {
            try {
                scram.serverFirstMessage(text(auth.getData().orElseThrow()));
                builder.data(scram.clientFinalMessage().toString().getBytes(StandardCharsets.UTF_8));
                return CompletableFuture.completedFuture(true);
            } catch (Exception e) {
                return CompletableFuture.completedFuture(false);
            }
        }

        @Override
        public @NotNull CompletableFuture<Boolean> onAuthSuccess(@NotNull Mqtt5ClientConfig config, @NotNull Mqtt5ConnAck connAck) {
            return serverFinal(connAck.getEnhancedAuth().flatMap(a -> a.getData()));
        }

        @Override
        public @NotNull CompletableFuture<Boolean> onReAuthSuccess(@NotNull Mqtt5ClientConfig config, @NotNull Mqtt5Auth auth) {
            return serverFinal(auth.getData());
        }

        @Override
        public void onAuthRejected(@NotNull Mqtt5ClientConfig config, @NotNull Mqtt5ConnAck connAck) {
        }

        @Override
        public void onReAuthRejected(@NotNull Mqtt5ClientConfig config, @NotNull Mqtt5Disconnect disconnect) {
        }

        @Override
        public void onAuthError(@NotNull Mqtt5ClientConfig config, @NotNull Throwable cause) {
        }

        @Override
        public void onReAuthError(@NotNull Mqtt5ClientConfig config, @NotNull Throwable cause) {
        }
    }

    private Mqtt5BlockingClient connect(String id, String tenantUser, Scram scram) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        c.connectWith().simpleAuth().username(tenantUser).applySimpleAuth().enhancedAuth(scram).send();
        return c;
    }

    @Test
    public void devicesAuthenticateWithScramOverMqtt5AuthAndReauthenticate() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        assertEquals(200, admin.post("/tenants", "{\"id\":\"acme\"}").status());
        AdminHttp acme = admin.as(BuiltinAuthIT.tenantKey(admin, "acme"));
        AdminHttp.Reply bad = acme.post("/authentication", "{\"mechanism\":\"scram\",\"backend\":\"built_in_database\","
                + "\"algorithm\":\"md5\"}");
        assertEquals(400, bad.status());
        assertTrue(bad.body(), bad.message().contains("'algorithm'"));
        AdminHttp.Reply created = acme.post("/authentication", "{\"mechanism\":\"scram\",\"backend\":\"built_in_database\","
                + "\"algorithm\":\"sha256\",\"iteration_count\":4096}");
        assertEquals(created.body(), 200, created.status());
        await("auth-scram serves acme").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> acme.get(USERS).status() == 200);
        assertEquals(201, acme.post(USERS, "{\"user_id\":\"alice\",\"password\":\"pencil\"}").status());

        Scram good = new Scram("alice", "pencil");
        Mqtt5BlockingClient alice = connect("dev-1", "alice@acme", good);
        assertEquals("the client checked the server's signature in CONNACK", 1, good.verified.get());
        alice.toAsync().reauth().get(10, TimeUnit.SECONDS);
        assertEquals("and again after re-authenticating", 2, good.verified.get());
        assertTrue(alice.getState().isConnected());

        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, assertThrows(Mqtt5ConnAckException.class,
                () -> connect("dev-2", "alice@acme", new Scram("alice", "wrong"))).getMqttMessage().getReasonCode());
        assertEquals("unknown to every authenticator of a tenant with a chain", Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
                assertThrows(Mqtt5ConnAckException.class, () -> connect("dev-3", "x@acme", new Scram("mallory", "pencil")))
                        .getMqttMessage().getReasonCode());
        alice.disconnect();
    }
}
