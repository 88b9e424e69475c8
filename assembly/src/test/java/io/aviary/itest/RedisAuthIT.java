package io.aviary.itest;

import static io.aviary.itest.BuiltinAuthIT.connect;
import static io.aviary.itest.BuiltinAuthIT.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * auth-redis and authz-redis end to end: users and rules written as EMQX documents them into the
 * real Redis of scripts/services.sh (single node and the 3-master cluster), the chains made with
 * EMQX's endpoints and a tenant API key, real MQTT 5 clients connecting, publishing and subscribing.
 */
public class RedisAuthIT {
    private static final String REDIS = "password_based:redis";
    private static final String PREFIX = "aviary-it:" + UUID.randomUUID() + ":";

    private static Distribution dist;
    private static UnifiedJedis redis;
    private static RedisClusterClient cluster;
    private static final List<String> keys = new ArrayList<>();

    @BeforeClass
    public static void start() throws Exception {
        redis = RedisClient.create("127.0.0.1", RealServices.port("redis"));
        cluster = RedisClusterClient.create(HostAndPort.from(RealServices.file("redis-cluster", "servers").split(",")[0]));
        dist = new Distribution().start().awaitApi();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
        for (String k : keys) {
            redis.del(k);
            cluster.del(k);
        }
        redis.close();
        cluster.close();
    }

    private static void hset(UnifiedJedis r, String key, Map<String, String> fields) {
        r.hset(key, fields);
        keys.add(key);
    }

    private static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private AdminHttp tenant(String id) throws Exception {
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        ok(admin.post("/tenants", "{\"id\":\"" + id + "\"}"));
        return admin.as(BuiltinAuthIT.tenantKey(admin, id));
    }

    /** EMQX's authenticator body for the single Redis, users under this run's prefix. */
    private static String authenticator(String algorithm, String extra) {
        return "{\"mechanism\":\"password_based\",\"backend\":\"redis\",\"redis_type\":\"single\","
                + "\"server\":\"127.0.0.1:" + RealServices.port("redis") + "\",\"database\":0,"
                + "\"cmd\":\"HMGET " + PREFIX + "mqtt_user:${username} password_hash salt is_superuser\","
                + "\"password_hash_algorithm\":" + algorithm + ",\"request_timeout\":\"1s\"" + extra + "}";
    }

    private static Mqtt5ConnAck refusal(String user, String password) {
        return assertThrows(Mqtt5ConnAckException.class, () -> connect(dist, "refused", user, password)).getMqttMessage();
    }

    private static Mqtt5BlockingClient awaitConnect(String id, String user, String password) {
        return await(id + " admitted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> connect(dist, id, user, password), c -> c.getState().isConnected());
    }

    private static Mqtt5SubAckReasonCode subscribe(Mqtt5BlockingClient c, String filter) {
        return subscribe(c, filter, MqttQos.AT_LEAST_ONCE);
    }

    private static Mqtt5SubAckReasonCode subscribe(Mqtt5BlockingClient c, String filter, MqttQos qos) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(qos).send().getReasonCodes().get(0);
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0);
        }
    }

    private static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient c, String topic) {
        try {
            c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
            return Mqtt5PubAckReasonCode.SUCCESS;
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    @Test
    public void redisUsersWithSaltedSha256DecideWhoConnects() throws Exception {
        // EMQX's example: prefix salt, sha256 of salt + password
        hset(redis, PREFIX + "mqtt_user:alice", Map.of("password_hash", sha256Hex("slt" + "s3cret"), "salt", "slt",
                "is_superuser", "0"));
        AdminHttp acme = tenant("racme");
        AdminHttp.Reply created = acme.post("/authentication",
                authenticator("{\"name\":\"sha256\",\"salt_position\":\"prefix\"}", ""));
        assertEquals(created.body(), 200, created.status());
        assertEquals(REDIS, created.json().getAsJsonObject().get("id").getAsString());

        awaitConnect("alice-1", "alice@racme", "s3cret").disconnect();
        Mqtt5ConnAck wrong = refusal("alice@racme", "guess");
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, wrong.getReasonCode());
        Mqtt5ConnAck unknown = refusal("mallory@racme", "s3cret");
        assertEquals("an unknown user is ignored, so nobody accepts it", Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
                unknown.getReasonCode());
        assertEquals("no authenticator accepted the client", unknown.getReasonString().map(Object::toString).orElse(""));

        // hostile user names are one key argument each: no pattern, no extra argument, no other key
        for (String hostile : List.of("*", "ali*", "mqtt_user:*", PREFIX + "mqtt_user:alice", "alice password_hash",
                "alice\" \"x", "' OR '1'='1", "alice\r\nFLUSHALL")) {
            assertEquals(hostile, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal(hostile + "@racme", "s3cret").getReasonCode());
        }
        assertTrue("nothing was flushed or changed", redis.exists(PREFIX + "mqtt_user:alice"));
        awaitConnect("alice-2", "alice@racme", "s3cret").disconnect();
    }

    @Test
    public void plainAndBcryptHashes() throws Exception {
        hset(redis, PREFIX + "mqtt_user:pam", Map.of("password_hash", "plain-pw"));
        hset(redis, PREFIX + "mqtt_user:bea", Map.of("password_hash",
                OpenBSDBCrypt.generate("2b", "bcrypt-pw".getBytes(StandardCharsets.UTF_8), new byte[16], 4)));
        ok(tenant("rplain").post("/authentication", authenticator("{\"name\":\"plain\"}", "")));
        ok(tenant("rbcrypt").post("/authentication", authenticator("{\"name\":\"bcrypt\"}", "")));
        awaitConnect("pam-1", "pam@rplain", "plain-pw").disconnect();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal("pam@rplain", "plain").getReasonCode());
        awaitConnect("bea-1", "bea@rbcrypt", "bcrypt-pw").disconnect();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal("bea@rbcrypt", "bcrypt").getReasonCode());
    }

    @Test
    public void aRedisThatIsDownIsIgnoredWithinTheTimeout() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        AdminHttp down = tenant("rdown");
        ok(down.post("/authentication", authenticator("{\"name\":\"plain\"}", "")
                .replace(":" + RealServices.port("redis") + "\"", ":" + closed + "\"")));
        await("rdown's authenticator runs").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> dist.console().contains("auth-redis: tenant=rdown enabled"));
        long begin = System.nanoTime();
        Mqtt5ConnAck refused = refusal("pam@rdown", "plain-pw");
        long ms = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getReasonCode());
        assertEquals("no authenticator accepted the client", refused.getReasonString().map(Object::toString).orElse(""));
        assertTrue("answered in " + ms + " ms", ms < 4500);

        // a "Redis" that accepts connections and never answers: cut off at request_timeout (1s), then ignore
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AdminHttp mute = tenant("rmute");
            ok(mute.post("/authentication", authenticator("{\"name\":\"plain\"}", "")
                    .replace(":" + RealServices.port("redis") + "\"", ":" + silent.getLocalPort() + "\"")));
            await("rmute's authenticator runs").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> dist.console().contains("auth-redis: tenant=rmute enabled"));
            long start = System.nanoTime();
            Mqtt5ConnAck slow = refusal("pam@rmute", "plain-pw");
            long slowMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, slow.getReasonCode());
            assertTrue("answered in " + slowMs + " ms", slowMs >= 900 && slowMs < 4500);
        }
    }

    @Test
    public void aClusterHoldsTheUsers() throws Exception {
        for (String user : List.of("c1", "c2", "c3", "c4")) { // keys in several masters' slots
            hset(cluster, PREFIX + "mqtt_user:" + user, Map.of("password_hash", "pw-" + user));
        }
        ok(tenant("rcluster").post("/authentication", authenticator("{\"name\":\"plain\"}", "")
                .replace("\"redis_type\":\"single\",\"server\":\"127.0.0.1:" + RealServices.port("redis") + "\",\"database\":0",
                        "\"redis_type\":\"cluster\",\"servers\":\"" + RealServices.file("redis-cluster", "servers") + "\"")));
        for (String user : List.of("c1", "c2", "c3", "c4")) {
            awaitConnect(user, user + "@rcluster", "pw-" + user).disconnect();
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal(user + "@rcluster", "pw").getReasonCode());
        }
    }

    @Test
    public void badConfigsAreRefusedNamingTheField() throws Exception {
        AdminHttp bad = tenant("rbad");
        for (String cmd : List.of("DEL mqtt_user:${username}", "KEYS *", "HMGET mqtt_user:${username} salt")) {
            AdminHttp.Reply r = bad.post("/authentication", authenticator("{\"name\":\"plain\"}", "")
                    .replaceFirst("\"cmd\":\"[^\"]*\"", java.util.regex.Matcher.quoteReplacement("\"cmd\":\"" + cmd + "\"")));
            assertEquals(cmd + ": " + r.body(), 400, r.status());
            assertTrue(r.body(), r.message().contains("field 'cmd'"));
        }
        // the same check on the platform's own endpoint names the field inside the instance's config
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        AdminHttp.Reply plugin = admin.post("/tenants/rbad/plugins", "{\"plugin\":\"auth-redis\",\"config\":"
                + authenticator("{\"name\":\"plain\"}", "").replace("\"mechanism\":\"password_based\",\"backend\":\"redis\",", "")
                        .replace("HMGET ", "EVAL ") + "}");
        assertEquals(plugin.body(), 400, plugin.status());
        assertTrue(plugin.body(), plugin.message().contains("field 'config.cmd'"));
        AdminHttp.Reply type = bad.post("/authentication", authenticator("{\"name\":\"plain\"}", "")
                .replace("\"single\"", "\"replica\""));
        assertEquals(type.body(), 400, type.status());
        assertTrue(type.body(), type.message().contains("field 'redis_type'"));
        AdminHttp.Reply noMaster = bad.post("/authentication", authenticator("{\"name\":\"plain\"}", "")
                .replace("\"single\",\"server\"", "\"sentinel\",\"servers\""));
        assertEquals(noMaster.body(), 400, noMaster.status());
        assertTrue(noMaster.body(), noMaster.message().contains("field 'sentinel'"));
        AdminHttp.Reply source = bad.post("/authorization/sources", "{\"type\":\"redis\",\"server\":\"127.0.0.1:1\","
                + "\"cmd\":\"SMEMBERS mqtt_acl:${username}\"}");
        assertEquals(source.body(), 400, source.status());
        assertTrue(source.body(), source.message().contains("field 'cmd'"));
        assertEquals(0, bad.get("/authentication").json().getAsJsonArray().size());
    }

    @Test
    public void redisRulesAllowAndNoMatchPassesToTheNextSource() throws Exception {
        hset(redis, PREFIX + "mqtt_user:ann", Map.of("password_hash", "ann-pw"));
        hset(redis, PREFIX + "mqtt_user:boss", Map.of("password_hash", "boss-pw", "is_superuser", "true"));
        hset(redis, PREFIX + "mqtt_acl:ann", Map.of("users/${username}/#", "all", "dev/${clientid}/up", "publish",
                "feeds/#", "{\"action\":\"subscribe\",\"qos\":[0,1]}", "logs/ann", "{\"action\":\"publish\",\"retain\":false}"));
        AdminHttp plant = tenant("rplant");
        ok(plant.post("/authentication", authenticator("{\"name\":\"plain\"}", "")));
        assertEquals(204, plant.post("/authorization/sources", "{\"type\":\"redis\",\"redis_type\":\"single\","
                + "\"server\":\"127.0.0.1:" + RealServices.port("redis") + "\","
                + "\"cmd\":\"HGETALL " + PREFIX + "mqtt_acl:${username}\"}").status());
        // after it, a source that denies everything: a redis no-match (ignore) ends there
        assertEquals(204, plant.post("/authorization/sources", "{\"type\":\"file\",\"rules\":\"{deny, all}.\"}").status());

        Mqtt5BlockingClient ann = awaitConnect("ann-dev", "ann@rplant", "ann-pw");
        await("the redis source decides").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> subscribe(ann, "users/ann/#") == Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertEquals("${username} is ann", Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribe(ann, "users/bob/#"));
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, publish(ann, "users/ann/temp"));
        assertEquals("${clientid} is ann-dev", Mqtt5PubAckReasonCode.SUCCESS, publish(ann, "dev/ann-dev/up"));
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, publish(ann, "dev/other/up"));
        assertEquals("publish only", Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribe(ann, "dev/ann-dev/up"));
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(ann, "feeds/a"));
        assertEquals("qos 2 is not among [0,1]", Mqtt5SubAckReasonCode.NOT_AUTHORIZED,
                subscribe(ann, "feeds/b", MqttQos.EXACTLY_ONCE));
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, publish(ann, "logs/ann"));
        Mqtt5PubAckException retained = assertThrows(Mqtt5PubAckException.class, () -> ann.publishWith().topic("logs/ann")
                .qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[] {1}).send());
        assertEquals("retain false: retained messages are not allowed", Mqtt5PubAckReasonCode.NOT_AUTHORIZED,
                retained.getMqttMessage().getReasonCode());
        ann.disconnect();

        // a client named like a pattern reads only its own (absent) hash: no rules, so the file denies
        hset(redis, PREFIX + "mqtt_user:*", Map.of("password_hash", "star-pw"));
        Mqtt5BlockingClient star = awaitConnect("star", "*@rplant", "star-pw");
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribe(star, "users/ann/#"));
        star.disconnect();

        // a superuser skips authorization (the file would deny it everything)
        Mqtt5BlockingClient boss = awaitConnect("boss", "boss@rplant", "boss-pw");
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(boss, "secret/#"));
        boss.disconnect();
    }
}
