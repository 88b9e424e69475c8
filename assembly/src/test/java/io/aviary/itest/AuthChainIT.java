package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.After;
import org.junit.Test;

/**
 * A tenant's authenticator and authorization source chains managed through EMQX's endpoints
 * (/authentication, /authentication/{id}/position/{position}, /authorization/sources,
 * /authorization/sources/{type}/move), with real clients proving the order: an IGNORE passes to
 * the next member, a DENY stops the chain, a disabled member is skipped.
 */
public class AuthChainIT {
    private static final String SECRET = "a-hmac-secret-of-at-least-256-bits-for-hs256!!";
    private static final String BUILTIN = "password_based:built_in_database";

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private static String jwt(String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private Mqtt5BlockingClient connect(String id, String user, String password) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        c.connectWith().simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        return c;
    }

    private Mqtt5ConnAckReasonCode refusal(String user, String password) {
        return assertThrows(Mqtt5ConnAckException.class, () -> connect("refused", user, password))
                .getMqttMessage().getReasonCode();
    }

    private static List<String> ids(AdminHttp.Reply r, String field) {
        assertEquals(r.body(), 200, r.status());
        JsonElement json = r.json();
        JsonArray array = json.isJsonArray() ? json.getAsJsonArray() : json.getAsJsonObject().getAsJsonArray("sources");
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsJsonObject().get(field).getAsString()));
        return out;
    }

    @Test
    public void theChainOrderDecidesAndIsManagedThroughEmqxsEndpoints() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        assertEquals(200, admin.post("/tenants", "{\"id\":\"acme\"}").status());
        AdminHttp acme = admin.as(BuiltinAuthIT.tenantKey(admin, "acme"));

        AdminHttp.Reply builtin = acme.post("/authentication", "{\"mechanism\":\"password_based\","
                + "\"backend\":\"built_in_database\",\"password_hash_algorithm\":{\"name\":\"sha256\"}}");
        assertEquals(builtin.body(), 200, builtin.status());
        assertEquals(BUILTIN, builtin.json().getAsJsonObject().get("id").getAsString());
        assertEquals(409, acme.post("/authentication", "{\"mechanism\":\"password_based\","
                + "\"backend\":\"built_in_database\",\"password_hash_algorithm\":{\"name\":\"sha256\"}}").status());
        AdminHttp.Reply unknown = acme.post("/authentication", "{\"mechanism\":\"password_based\",\"backend\":\"nosuch\"}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.body(), unknown.message().contains("'backend'"));
        AdminHttp.Reply badConfig = acme.post("/authentication", "{\"mechanism\":\"jwt\",\"algorithm\":\"rot13\"}");
        assertEquals(400, badConfig.status());
        assertTrue(badConfig.body(), badConfig.message().contains("'algorithm"));
        AdminHttp.Reply jwt = acme.post("/authentication", "{\"mechanism\":\"jwt\",\"algorithm\":\"hmac-based\","
                + "\"secret\":\"" + SECRET + "\",\"from\":\"password\"}");
        assertEquals(jwt.body(), 200, jwt.status());
        assertEquals(List.of(BUILTIN, "jwt"), ids(acme.get("/authentication"), "id"));
        assertEquals("the default tenant's chain is its own", List.of(), ids(admin.get("/authentication"), "id"));

        await("auth-builtin serves acme").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> acme.get("/authentication/" + BUILTIN + "/users").status() == 200);
        assertEquals(201, acme.post("/authentication/" + BUILTIN + "/users",
                "{\"user_id\":\"alice\",\"password\":\"s3cret\"}").status());
        String token = jwt("anyone");
        // built-in database first: it knows alice, so her token is a wrong password and the DENY stops the chain
        await("both authenticators run").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> connect("bob-1", "bob@acme", token), c -> c.getState().isConnected())
                .disconnect(); // bob is unknown to the database (IGNORE), so the JWT decides
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal("alice@acme", token));
        connect("alice-1", "alice@acme", "s3cret").disconnect();

        assertEquals(204, acme.put("/authentication/jwt/position/front", "").status());
        assertEquals(List.of("jwt", BUILTIN), ids(acme.get("/authentication"), "id"));
        await("the JWT is asked first").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> connect("alice-2", "alice@acme", token), c -> c.getState().isConnected())
                .disconnect();
        assertEquals(204, acme.put("/authentication/jwt/position/after:" + BUILTIN, "").status());
        assertEquals(List.of(BUILTIN, "jwt"), ids(acme.get("/authentication"), "id"));
        assertEquals(400, acme.put("/authentication/jwt/position/sideways", "").status());
        assertEquals(404, acme.put("/authentication/jwt/position/before:nosuch", "").status());

        // disabled: kept but skipped, so bob's token is no longer accepted by anyone (and acme has a chain)
        AdminHttp.Reply disabled = acme.put("/authentication/jwt", "{\"enable\":false,\"algorithm\":\"hmac-based\","
                + "\"secret\":\"" + SECRET + "\",\"from\":\"password\"}");
        assertEquals(disabled.body(), 200, disabled.status());
        assertEquals(false, acme.get("/authentication/jwt").json().getAsJsonObject().get("enable").getAsBoolean());
        await("the disabled JWT is skipped").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> refusal("bob@acme", token) == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertEquals(204, acme.delete("/authentication/jwt").status());
        assertEquals(404, acme.get("/authentication/jwt").status());

        // authorization sources
        assertEquals(204, acme.post("/authorization/sources", "{\"type\":\"file\",\"enable\":true,"
                + "\"rules\":\"{deny, all, subscribe, [\\\"secret/#\\\"]}.\\n{allow, all}.\"}").status());
        assertEquals(409, acme.post("/authorization/sources", "{\"type\":\"file\",\"rules\":\"{allow, all}.\"}").status());
        assertEquals(List.of("file"), ids(acme.get("/authorization/sources"), "type"));
        Mqtt5BlockingClient alice = connect("alice-3", "alice@acme", "s3cret");
        await("the file source decides").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        alice.subscribeWith().topicFilter("secret/x").qos(MqttQos.AT_LEAST_ONCE).send();
                        return false;
                    } catch (Mqtt5SubAckException e) {
                        return e.getMqttMessage().getReasonCodes().equals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
                    }
                });
        assertEquals(204, acme.post("/authorization/sources/file/move", "{\"position\":\"front\"}").status());
        assertEquals(400, acme.post("/authorization/sources/file/move", "{\"position\":\"up\"}").status());
        assertEquals(204, acme.delete("/authorization/sources/file").status());
        assertEquals(404, acme.get("/authorization/sources/file").status());
        await("no source: no_match allows").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    alice.subscribeWith().topicFilter("secret/x").qos(MqttQos.AT_LEAST_ONCE).send();
                    return true;
                });
        alice.disconnect();
    }
}
