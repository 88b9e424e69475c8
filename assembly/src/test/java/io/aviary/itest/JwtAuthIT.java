package io.aviary.itest;

import static io.aviary.itest.BuiltinAuthIT.connect;
import static io.aviary.itest.BuiltinAuthIT.ok;
import static io.aviary.itest.BuiltinAuthIT.refusal;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Test;

/**
 * The shipped auth-jwt plugin end to end: a tenant trusts the keys of a JWKS endpoint (a real
 * HTTP server started here, serving an EC key generated here); devices connect with ES256
 * tokens as their password: a valid token is admitted, an expired one, one signed by another
 * key or one whose sub is another client's is refused with 0x86, a non-token password too; the
 * token's acl claim decides publish (PUBACK 0x87) and subscribe (SUBACK 0x87). A config without
 * its key material is refused with 400 naming the field.
 */
public class JwtAuthIT {
    private Distribution dist;
    private HttpServer jwks;

    @After
    public void stop() throws Exception {
        if (jwks != null) {
            jwks.stop(0);
        }
        if (dist != null) {
            dist.close();
        }
    }

    private static String token(ECKey key, String subject, Date expires, Object acl) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).expirationTime(expires);
        if (acl != null) {
            claims.claim("acl", acl);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static Date in(long seconds) {
        return new Date(System.currentTimeMillis() + seconds * 1000);
    }

    @Test
    public void devicesLogInWithTokensSignedByTheJwksKeysAndTheirAclClaimAuthorizes() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        AtomicInteger fetches = new AtomicInteger();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        String endpoint = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks";

        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        ok(admin.post("/tenants", "{\"id\":\"iot\",\"quotas\":{\"allow_anonymous\":0}}"));
        AdminHttp.Reply missing = admin.post("/tenants/iot/plugins",
                "{\"plugin\":\"auth-jwt\",\"config\":{\"algorithm\":\"public-key\",\"use_jwks\":true}}");
        assertEquals(missing.body(), 400, missing.status());
        assertTrue(missing.body(), missing.message().contains("endpoint"));
        ok(admin.post("/tenants/iot/plugins", "{\"plugin\":\"auth-jwt\",\"config\":{\"algorithm\":\"public-key\","
                + "\"use_jwks\":true,\"endpoint\":\"" + endpoint + "\",\"refresh_interval\":300,"
                + "\"verify_claims\":{\"sub\":\"${clientid}\"}}}"));

        List<Map<String, Object>> acl = List.of(
                Map.of("permission", "allow", "action", "publish", "topic", "up/${clientid}"),
                Map.of("permission", "allow", "action", "subscribe", "topic", "down/${clientid}/#"),
                Map.of("permission", "deny", "action", "all", "topic", "#"));
        String good = token(key, "dev-1", in(600), acl);
        Mqtt5BlockingClient dev = await("auth-jwt serves iot").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> connect(dist, "dev-1", "dev@iot", good), c -> c.getState().isConnected());
        assertTrue("the keys came from the JWKS endpoint", fetches.get() >= 1);

        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal(dist, "dev@iot", token(key, "refused", in(-60), acl)));
        assertEquals("signed by another key", Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                refusal(dist, "dev@iot", token(stranger, "refused", in(600), acl)));
        assertEquals("sub names another client", Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                refusal(dist, "dev@iot", good));
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal(dist, "dev@iot", "' OR '1'='1"));

        dev.publishWith().topic("up/dev-1").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        Mqtt5PubAckException denied = assertThrows(Mqtt5PubAckException.class, () ->
                dev.publishWith().topic("up/dev-2").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send());
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, denied.getMqttMessage().getReasonCode());
        dev.subscribeWith().topicFilter("down/dev-1/#").send();
        Mqtt5SubAckException subDenied = assertThrows(Mqtt5SubAckException.class,
                () -> dev.subscribeWith().topicFilter("down/#").send());
        assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED), subDenied.getMqttMessage().getReasonCodes());
        dev.disconnect();

        // disconnect_after_expire (the default): the broker disconnects the client when its token expires
        java.util.concurrent.CompletableFuture<Throwable> gone = new java.util.concurrent.CompletableFuture<>();
        Mqtt5BlockingClient brief = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5().identifier("dev-1")
                .serverHost("127.0.0.1").serverPort(dist.mqttPort)
                .addDisconnectedListener(c -> gone.complete(c.getCause())).buildBlocking();
        brief.connectWith().simpleAuth().username("dev@iot")
                .password(token(key, "dev-1", in(5), acl).getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        Throwable cause = gone.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(String.valueOf(cause), cause instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException);
        assertEquals(com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode.NOT_AUTHORIZED,
                ((com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode());

        JsonObject plugins = new JsonObject();
        plugins.add("list", ok(admin.get("/tenants/iot/plugins")).json());
        assertTrue(plugins.toString(), plugins.toString().contains("auth-jwt"));
    }
}
