package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.After;
import org.junit.Test;

/**
 * The shipped auth-builtin plugin end to end: a tenant enables it through the admin API (a bad
 * config is refused naming the field), manages its users through EMQX's
 * /authentication/password_based:built_in_database/users, and real MQTT clients connecting as
 * user@tenant are admitted, refused with 0x86 (wrong password) or 0x87 (unknown user, the tenant
 * refusing anonymous clients); injection-looking user names are just unknown users; the users
 * survive a restart.
 */
public class BuiltinAuthIT {
    static final String USERS = "/authentication/password_based:built_in_database/users";

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    static AdminHttp.Reply ok(AdminHttp.Reply r) {
        assertTrue(r.status() + " " + r.body(), r.status() / 100 == 2);
        return r;
    }

    static Mqtt5BlockingClient connect(Distribution dist, String id, String user, String password) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        c.connectWith().simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        return c;
    }

    static Mqtt5ConnAckReasonCode refusal(Distribution dist, String user, String password) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("refused").serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        return assertThrows(Mqtt5ConnAckException.class, () -> c.connectWith().simpleAuth().username(user)
                .password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
                .getMqttMessage().getReasonCode();
    }

    /** A tenant that refuses clients no authenticator decided on, with auth-builtin enabled and users added. */
    static void tenantWithBuiltinUsers(AdminHttp admin, String tenant, String algorithm) {
        try {
            ok(admin.post("/tenants", "{\"id\":\"" + tenant + "\",\"quotas\":{\"allow_anonymous\":0}}"));
            ok(admin.post("/tenants/" + tenant + "/plugins", "{\"plugin\":\"auth-builtin\",\"config\":"
                    + "{\"password_hash_algorithm\":" + algorithm + "}}"));
            await("auth-builtin serves " + tenant).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> admin.get(USERS + "?tenant=" + tenant).status() == 200);
            ok(admin.post(USERS + "?tenant=" + tenant, "{\"user_id\":\"alice\",\"password\":\"s3cret\"}"));
            ok(admin.post(USERS + "?tenant=" + tenant, "{\"user_id\":\"root\",\"password\":\"t00r\",\"is_superuser\":true}"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void devicesLogInWithUsersManagedThroughTheEmqxUsersApi() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        assertTrue("the distribution ships the plugin", Files.exists(dist.plugins().resolve("aviary-auth-builtin.jar")));

        // a bad config is refused with 400 naming the field, before anything starts
        ok(admin.post("/tenants", "{\"id\":\"acme\",\"quotas\":{\"allow_anonymous\":0}}"));
        AdminHttp.Reply bad = admin.post("/tenants/acme/plugins",
                "{\"plugin\":\"auth-builtin\",\"config\":{\"password_hash_algorithm\":{\"name\":\"rot13\"}}}");
        assertEquals(bad.body(), 400, bad.status());
        assertTrue(bad.body(), bad.message().contains("config.password_hash_algorithm.name"));
        AdminHttp.Reply typo = admin.post("/tenants/acme/plugins",
                "{\"plugin\":\"auth-builtin\",\"config\":{\"password_hash_algorithm\":{\"name\":\"sha256\"},\"user_idtype\":\"x\"}}");
        assertEquals(typo.body(), 400, typo.status());
        assertTrue(typo.body(), typo.message().contains("user_idtype"));
        AdminHttp acme = admin.as(tenantKey(admin, "acme"));
        assertEquals("not enabled yet", 404, acme.get(USERS).status());

        ok(acme.post("/tenants/acme/plugins", "{\"plugin\":\"auth-builtin\",\"config\":"
                + "{\"password_hash_algorithm\":{\"name\":\"bcrypt\",\"salt_rounds\":4}}}"));
        await("auth-builtin serves acme").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> acme.get(USERS).status() == 200);

        // EMQX's users API, in the tenant's scope
        JsonObject created = ok(acme.post(USERS, "{\"user_id\":\"alice\",\"password\":\"s3cret\"}")).json().getAsJsonObject();
        assertEquals("alice", created.get("user_id").getAsString());
        assertFalse(created.get("is_superuser").getAsBoolean());
        assertFalse("no password or hash is ever returned", created.has("password") || created.has("password_hash"));
        ok(acme.post(USERS, "{\"user_id\":\"bob\",\"password\":\"b0b\",\"is_superuser\":true}"));
        assertEquals(409, acme.post(USERS, "{\"user_id\":\"alice\",\"password\":\"other\"}").status());
        AdminHttp.Reply noPassword = acme.post(USERS, "{\"user_id\":\"carol\"}");
        assertEquals(400, noPassword.status());
        assertTrue(noPassword.body(), noPassword.message().contains("'password'"));
        JsonArray data = ok(acme.get(USERS + "?is_superuser=true")).json().getAsJsonObject().getAsJsonArray("data");
        assertEquals(1, data.size());
        assertEquals("bob", data.get(0).getAsJsonObject().get("user_id").getAsString());
        assertEquals(2, ok(acme.get(USERS)).json().getAsJsonObject().getAsJsonObject("meta").get("count").getAsInt());
        assertTrue(ok(acme.get(USERS + "/bob")).json().getAsJsonObject().get("is_superuser").getAsBoolean());
        assertEquals(404, acme.get(USERS + "/nobody").status());
        assertFalse(ok(acme.put(USERS + "/bob", "{\"is_superuser\":false}")).json().getAsJsonObject()
                .get("is_superuser").getAsBoolean());
        ok(acme.put(USERS + "/bob", "{\"password\":\"n3w\"}"));
        assertEquals(404, acme.get("/authentication/password_based:redis/users").status());
        assertEquals("the default tenant did not enable it", 404, admin.get(USERS).status());

        // devices
        connect(dist, "dev-1", "alice@acme", "s3cret").disconnect();
        connect(dist, "dev-2", "bob@acme", "n3w").disconnect();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal(dist, "alice@acme", "wrong"));
        assertEquals("an old password no longer works", Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                refusal(dist, "bob@acme", "b0b"));
        assertEquals("unknown user", Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal(dist, "mallory@acme", "s3cret"));
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal(dist, "' OR '1'='1@acme", "' OR '1'='1"));
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal(dist, "{\"$where\":\"1\"}@acme", "x"));
        assertEquals("the default tenant is not affected", 200, admin.get("/status").status());
        connect(dist, "anon", "someone", "anything").disconnect();

        assertEquals(204, acme.delete(USERS + "/bob").status());
        assertEquals(404, acme.delete(USERS + "/bob").status());
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal(dist, "bob@acme", "n3w"));

        // EMQX's user files import: hashes made with the authenticator's algorithm (bcrypt here) or plain passwords
        String bcrypt = org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2b",
                "imp0rted".getBytes(StandardCharsets.UTF_8), new byte[16], 4);
        AdminHttp.Reply csv = acme.send("POST", "/authentication/password_based:built_in_database/import_users",
                "user_id,password_hash,salt,is_superuser\nimported," + bcrypt + ",,false\n", "text/csv");
        assertEquals(csv.body(), 200, csv.status());
        assertEquals(1, csv.json().getAsJsonObject().get("success").getAsInt());
        AdminHttp.Reply json = acme.post("/authentication/password_based:built_in_database/import_users?type=plain",
                "[{\"user_id\":\"plainly\",\"password\":\"pl4in\",\"is_superuser\":false}]");
        assertEquals(json.body(), 200, json.status());
        AdminHttp.Reply badRow = acme.post("/authentication/password_based:built_in_database/import_users",
                "[{\"user_id\":\"x\"}]");
        assertEquals(400, badRow.status());
        assertTrue(badRow.body(), badRow.message().contains("'password_hash'"));
        connect(dist, "dev-3", "imported@acme", "imp0rted").disconnect();
        connect(dist, "dev-4", "plainly@acme", "pl4in").disconnect();

        // users survive a restart
        dist.stop(Duration.ofSeconds(30));
        dist.start().awaitApi();
        await("auth-builtin back").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> acme.get(USERS + "/alice").status() == 200);
        connect(dist, "dev-1", "alice@acme", "s3cret").disconnect();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal(dist, "alice@acme", "wrong"));
    }

    @Test
    public void onceATenantHasAnAuthenticatorTheChainDecidesUnlessTheTenantAdmitsAnonymous() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        ok(admin.post("/tenants", "{\"id\":\"beta\"}"));
        connect(dist, "before", "nobody@beta", "x").disconnect(); // no chain: the node's allow_anonymous admits
        ok(admin.post("/tenants/beta/plugins", "{\"plugin\":\"auth-builtin\",\"config\":"
                + "{\"password_hash_algorithm\":{\"name\":\"sha256\"}}}"));
        await("the chain decides").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get(USERS + "?tenant=beta").status() == 200);
        assertEquals("a user the built-in database does not know is ignored, so refused",
                Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal(dist, "nobody@beta", "x"));
        ok(admin.put("/tenants/beta", "{\"quotas\":{\"allow_anonymous\":1}}"));
        connect(dist, "after", "nobody@beta", "x").disconnect();
    }

    static String tenantKey(AdminHttp admin, String tenant) throws Exception {
        JsonObject key = ok(admin.post("/api_key", "{\"name\":\"" + tenant + "-ops\",\"tenant\":\"" + tenant + "\"}"))
                .json().getAsJsonObject();
        return AdminHttp.basic(key.get("api_key").getAsString(), key.get("api_secret").getAsString());
    }
}
