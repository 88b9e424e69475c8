package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.AuthPacket;
import io.aviary.mqtt.codec.ConnAckPacket;
import io.aviary.mqtt.codec.ConnectPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import io.aviary.mqtt.codec.Subscription;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;

/** The authentication chain (ordering, IGNORE, timeout, enhanced auth) and authorization of PUBLISH/SUBSCRIBE. */
public class AuthTest {

    @Rule
    public final TestBroker broker = new TestBroker().with("auth_timeout", 300);

    private void authenticator(Authenticator a, int ranking, String tenant) {
        broker.core().auth().authenticators().add(a, Map.of("tenant", tenant, "service.ranking", ranking,
                "service.id", (long) ranking));
    }

    private void authorizer(Authorizer a) {
        broker.core().auth().authorizers().add(a, Map.of("tenant", "default"));
    }

    private static Authenticator password(String secret) {
        return r -> CompletableFuture.completedFuture(r.password() != null
                && new String(r.password(), StandardCharsets.UTF_8).equals(secret)
                ? AuthResult.allow(false) : AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "bad password"));
    }

    private ConnAckPacket connect(MqttVersion v, String id, String password, MqttProperties props) throws Exception {
        try (RawClient c = RawClient.open(broker.port(), v)) {
            return c.connect(new ConnectPacket(v, id, true, 60, "user",
                    password == null ? null : password.getBytes(StandardCharsets.UTF_8), null, props));
        }
    }

    @Test
    public void authenticatorAllowsTheRightPasswordAndDeniesAWrongOneWith0x86() throws Exception {
        authenticator(password("s3cret"), 1, "default");
        assertEquals(0, connect(MqttVersion.MQTT_5, "a1", "s3cret", null).reasonCode());
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, connect(MqttVersion.MQTT_5, "a2", "nope", null).reasonCode());
    }

    @Test
    public void v311ClientDeniedByTheChainGetsReturnCode4() throws Exception {
        authenticator(password("s3cret"), 1, "default");
        MqttClient c = new MqttClient(broker.uri(), "paho-auth", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("user");
        o.setPassword("wrong".toCharArray());
        try {
            c.connect(o);
            throw new AssertionError("connected with a wrong password");
        } catch (MqttSecurityException e) {
            assertEquals(4, e.getReasonCode());
        } finally {
            c.close();
        }
    }

    @Test
    public void higherRankedAuthenticatorAnswersFirst() throws Exception {
        authenticator(r -> CompletableFuture.completedFuture(AuthResult.deny(0x87, "low")), 1, "default");
        authenticator(r -> CompletableFuture.completedFuture(AuthResult.allow(false)), 5, "default");
        assertEquals(0, connect(MqttVersion.MQTT_5, "rank", null, null).reasonCode());
    }

    @Test
    public void aChainThatIgnoresAClientRefusesItUnlessTheTenantAdmitsAnonymousClients() throws Exception {
        authenticator(r -> CompletableFuture.completedFuture(AuthResult.ignore()), 1, "default");
        assertEquals("the node's allow_anonymous covers tenants without a chain only", ReasonCode.NOT_AUTHORIZED,
                connect(MqttVersion.MQTT_5, "anon1", null, null).reasonCode());
        broker.core().tenants().update(new io.aviary.api.tenant.Tenant("default", "default",
                io.aviary.api.tenant.TenantState.ACTIVE, List.of(), Map.of("allow_anonymous", 1L), 0, 0));
        assertEquals(0, connect(MqttVersion.MQTT_5, "anon2", null, null).reasonCode());
    }

    @Test
    public void authenticatorsOfAnotherTenantAreNotAsked() throws Exception {
        authenticator(r -> CompletableFuture.completedFuture(AuthResult.deny(0x87, "other tenant")), 1, "acme");
        assertEquals(0, connect(MqttVersion.MQTT_5, "tenant", null, null).reasonCode());
    }

    @Test
    public void authenticatorThatNeverAnswersCountsAsIgnoreAfterTheTimeout() throws Exception {
        broker.restart("allow_anonymous", false);
        authenticator(r -> new CompletableFuture<>(), 1, "default");
        long start = System.nanoTime();
        assertEquals(ReasonCode.NOT_AUTHORIZED, connect(MqttVersion.MQTT_5, "slow", null, null).reasonCode());
        assertTrue(System.nanoTime() - start >= 250_000_000L);
    }

    @Test
    public void MQTT_4_12_0_enhancedAuthenticationChallengeContinuesWithAuth0x18() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        authenticator(r -> {
            if (steps.incrementAndGet() == 1) {
                return CompletableFuture.completedFuture(AuthResult.challenge(ByteBuffer.wrap("nonce".getBytes())));
            }
            String answer = StandardCharsets.UTF_8.decode(r.authData()).toString();
            return CompletableFuture.completedFuture(answer.equals("nonce-signed") ? AuthResult.allow(false)
                    : AuthResult.deny(0x87, "bad signature"));
        }, 1, "default");
        MqttProperties method = MqttProperties.builder().set(PropertyId.AUTHENTICATION_METHOD, "SCRAM-TEST").build();
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_5)) {
            c.send(new ConnectPacket(MqttVersion.MQTT_5, "scram", true, 60, null, null, null, method));
            AuthPacket challenge = c.expect(AuthPacket.class);
            assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
            assertEquals("nonce", new String(challenge.properties().authenticationData(), StandardCharsets.UTF_8));
            c.send(new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, method.toBuilder()
                    .set(PropertyId.AUTHENTICATION_DATA, "nonce-signed".getBytes()).build()));
            ConnAckPacket ack = c.expect(ConnAckPacket.class);
            assertEquals(0, ack.reasonCode());
            assertEquals("the successful CONNACK carries the method [MQTT-4.12.0-5]", "SCRAM-TEST",
                    ack.properties().authenticationMethod());
        }
    }

    @Test
    public void MQTT_4_12_0_5_and_4_12_0_6_successfulConnackCarriesTheAuthenticationMethodOnlyWhenTheConnectHadOne()
            throws Exception {
        authenticator(r -> CompletableFuture.completedFuture(AuthResult.allow(false)), 1, "default");
        MqttProperties method = MqttProperties.builder().set(PropertyId.AUTHENTICATION_METHOD, "TOKEN").build();
        ConnAckPacket withMethod = connect(MqttVersion.MQTT_5, "method-at-once", null, method);
        assertEquals(0, withMethod.reasonCode());
        assertEquals("allowed without a challenge: the method is still echoed", "TOKEN",
                withMethod.properties().authenticationMethod());
        ConnAckPacket plain = connect(MqttVersion.MQTT_5, "no-method", null, null);
        assertEquals(0, plain.reasonCode());
        assertEquals(null, plain.properties().authenticationMethod());
        assertEquals(null, plain.properties().authenticationData());
    }

    @Test
    public void authenticationMethodWithoutAuthenticatorIsRefusedWith0x8C() throws Exception {
        MqttProperties method = MqttProperties.builder().set(PropertyId.AUTHENTICATION_METHOD, "KERBEROS").build();
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, connect(MqttVersion.MQTT_5, "krb", null, method).reasonCode());
    }

    @Test
    public void deniedPublishGetsPuback0x87AndIsNotRouted() throws Exception {
        authorizer((client, action, topic, qos, retain) -> CompletableFuture.completedFuture(
                action == Action.PUBLISH && topic.startsWith("secret/") ? Decision.DENY : Decision.IGNORE));
        try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "az-sub", true);
             RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "az-pub", true)) {
            sub.send(io.aviary.broker.testing.Packets.subscribe(1, "#", 0));
            sub.expect(SubAckPacket.class);
            pub.send(publish("secret/a", 1, 1, "x"));
            assertEquals(ReasonCode.NOT_AUTHORIZED, pub.expect(AckPacket.class).reasonCode());
            pub.send(publish("open/a", 2, 2, "y"));
            assertEquals(0, pub.expect(AckPacket.class).reasonCode());
            assertEquals("open/a", sub.expect(io.aviary.mqtt.codec.PublishPacket.class).topic());
        }
    }

    @Test
    public void deniedSubscribeGetsSuback0x87UnderV5And0x80UnderV311() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        authorizer((client, action, topic, qos, retain) -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(topic.equals("forbidden") ? Decision.DENY : Decision.ALLOW);
        });
        try (RawClient c5 = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "sub5", true);
             RawClient c3 = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "sub3", true)) {
            io.aviary.mqtt.codec.SubscribePacket s = new io.aviary.mqtt.codec.SubscribePacket(1,
                    List.of(new Subscription("forbidden", 1), new Subscription("fine", 1)), MqttProperties.EMPTY);
            c5.send(s);
            assertEquals(List.of(ReasonCode.NOT_AUTHORIZED, 1), c5.expect(SubAckPacket.class).reasonCodes());
            c3.send(s);
            assertEquals(List.of(0x80, 1), c3.expect(SubAckPacket.class).reasonCodes());
            c5.send(s);
            c5.expect(SubAckPacket.class);
        }
        assertEquals("decisions are cached per client", 4, calls.get());
    }

    @Test
    public void MQTT_4_12_1_reauthenticationChallengeThenSuccessAnswersAuth0x00() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        authenticator(r -> {
            int n = calls.incrementAndGet();
            String data = r.authData() == null ? "" : StandardCharsets.UTF_8.decode(r.authData()).toString();
            if (n == 2) {
                return CompletableFuture.completedFuture(AuthResult.challenge(ByteBuffer.wrap("again".getBytes())));
            }
            if (n == 4) {
                return CompletableFuture.completedFuture(AuthResult.deny(0x87, "revoked"));
            }
            return CompletableFuture.completedFuture(n == 1 || data.equals("again-ok") ? AuthResult.allow(false)
                    : AuthResult.deny(0x87, "bad"));
        }, 1, "default");
        MqttProperties method = MqttProperties.builder().set(PropertyId.AUTHENTICATION_METHOD, "TOKEN").build();
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_5)) {
            assertEquals(0, c.connect(new ConnectPacket(MqttVersion.MQTT_5, "reauth", true, 60, null, null, null, method))
                    .reasonCode());
            c.send(new AuthPacket(ReasonCode.RE_AUTHENTICATE, method));
            AuthPacket challenge = c.expect(AuthPacket.class);
            assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
            c.send(new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, method.toBuilder()
                    .set(PropertyId.AUTHENTICATION_DATA, "again-ok".getBytes()).build()));
            assertEquals(ReasonCode.SUCCESS, c.expect(AuthPacket.class).reasonCode());
            c.send(new AuthPacket(ReasonCode.RE_AUTHENTICATE, method));
            assertEquals(ReasonCode.NOT_AUTHORIZED, c.expect(io.aviary.mqtt.codec.DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
    }

    @Test
    public void MQTT_3_14_2_1_failedReauthenticationWithAConnackOnlyCodeDisconnectsWith0x87() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        authenticator(r -> CompletableFuture.completedFuture(calls.incrementAndGet() == 1 ? AuthResult.allow(false)
                : AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "token expired")), 1, "default");
        MqttProperties method = MqttProperties.builder().set(PropertyId.AUTHENTICATION_METHOD, "TOKEN").build();
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_5)) {
            assertEquals(0, c.connect(new ConnectPacket(MqttVersion.MQTT_5, "reauth-0x86", true, 60, null, null, null,
                    method)).reasonCode());
            c.send(new AuthPacket(ReasonCode.RE_AUTHENTICATE, method));
            assertEquals("0x86 is a CONNACK code only; DISCONNECT says Not authorized", ReasonCode.NOT_AUTHORIZED,
                    c.expect(io.aviary.mqtt.codec.DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
    }

    @Test
    public void MQTT_3_2_2_8_authenticatorCodeOutsideTheConnackTableIsSentAs0x87() throws Exception {
        authenticator(r -> CompletableFuture.completedFuture(r.client().clientId().equals("banned")
                ? AuthResult.deny(ReasonCode.BANNED, "banned") : AuthResult.deny(0x8E, "not a CONNACK code")), 1, "default");
        assertEquals(ReasonCode.NOT_AUTHORIZED, connect(MqttVersion.MQTT_5, "odd-code", null, null).reasonCode());
        assertEquals("a CONNACK code is kept", ReasonCode.BANNED, connect(MqttVersion.MQTT_5, "banned", null, null).reasonCode());
    }

    @Test
    public void MQTT_4_12_0_7_authWithoutAnAuthenticationMethodIsProtocolError() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "noauth", true)) {
            c.send(new AuthPacket(ReasonCode.RE_AUTHENTICATE, MqttProperties.builder()
                    .set(PropertyId.AUTHENTICATION_METHOD, "X").build()));
            assertEquals(ReasonCode.PROTOCOL_ERROR, c.expect(io.aviary.mqtt.codec.DisconnectPacket.class).reasonCode());
        }
    }
}
