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
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.aviary.broker.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bson.Document;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * auth-mongodb and authz-mongodb end to end: the distribution (its own process) reaches a MongoDB
 * wire-protocol server in this JVM, mongo-java-server with its in-memory backend (an emulation of
 * MongoDB, not MongoDB itself: no MongoDB server can be installed here, see SERVICES.md), on a free
 * port; real MQTT 5 clients connect, publish and subscribe. The chains are made with EMQX's
 * endpoints and a tenant API key; the documents are written with the official driver.
 */
public class MongoAuthIT {
    private static final String MONGODB = "password_based:mongodb";

    // one distribution and one database for the class (each test uses its own tenants)
    private static Distribution dist;
    private static MongoServer mongo;
    private static int mongoPort;
    private static MongoClient filler;

    @BeforeClass
    public static void start() throws Exception {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", Distribution.freePort());
        mongoPort = mongo.getLocalAddress().getPort();
        filler = MongoClients.create("mongodb://127.0.0.1:" + mongoPort);
        MongoCollection<Document> users = filler.getDatabase("mqtt").getCollection("mqtt_user");
        users.insertMany(List.of(
                new Document("username", "plain-alice").append("password_hash", "s3cret"),
                // EMQX's documented example: sha256, the salt as suffix, a superuser
                new Document("username", "emqx_u").append("password_hash", sha256("public" + "slat_foo123"))
                        .append("salt", "slat_foo123").append("is_superuser", true),
                new Document("username", "alice").append("password_hash", sha256("s3cret" + "pepper"))
                        .append("salt", "pepper").append("clientid", "dev-1"),
                new Document("username", "{\"$gt\": \"\"}").append("password_hash", sha256("odd" + "x")).append("salt", "x"),
                new Document("username", "bcrypt-bob").append("password_hash", bcrypt("zorb-k1wi")).append("is_superuser", 1)));
        filler.getDatabase("mqtt").getCollection("mqtt_acl").insertMany(List.of(
                new Document("username", "alice").append("permission", "deny").append("action", "all")
                        .append("topics", List.of("secret/#")),
                new Document("username", "alice").append("permission", "allow").append("action", "all")
                        .append("topics", List.of("users/${username}/#")),
                new Document("clientid", "dev-1").append("permission", "allow").append("action", "subscribe")
                        .append("qos", List.of(0, 1)).append("topics", List.of("devices/${clientid}/cmd")),
                new Document("username", "{\"$gt\": \"\"}").append("permission", "allow").append("action", "all")
                        .append("topics", List.of("odd/#"))));
        dist = new Distribution().start().awaitApi();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
        if (filler != null) {
            filler.close();
        }
        mongo.shutdownNow();
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password.getBytes(StandardCharsets.UTF_8), salt, 4);
    }

    private AdminHttp tenant(String id) throws Exception {
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        ok(admin.post("/tenants", "{\"id\":\"" + id + "\"}"));
        return admin.as(BuiltinAuthIT.tenantKey(admin, id));
    }

    private static String authenticator(int port, String algorithm, String extra) {
        return "{\"mechanism\":\"password_based\",\"backend\":\"mongodb\",\"mongo_type\":\"single\","
                + "\"server\":\"127.0.0.1:" + port + "\",\"database\":\"mqtt\",\"collection\":\"mqtt_user\","
                + "\"filter\":{\"username\":\"${username}\"},\"password_hash_algorithm\":" + algorithm + extra + "}";
    }

    private static String source(String filter) {
        return "{\"type\":\"mongodb\",\"mongo_type\":\"single\",\"server\":\"127.0.0.1:" + mongoPort + "\","
                + "\"database\":\"mqtt\",\"collection\":\"mqtt_acl\",\"filter\":" + filter + "}";
    }

    private Mqtt5ConnAck refusal(String id, String user, String password) {
        return assertThrows(Mqtt5ConnAckException.class, () -> connect(dist, id, user, password)).getMqttMessage();
    }

    private Mqtt5BlockingClient awaitConnect(String id, String user, String password) {
        return await(id + " admitted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> connect(dist, id, user, password), c -> c.getState().isConnected());
    }

    /**
     * Waits until the tenant's authenticator answers: a wrong password refused with 0x86. Until the
     * instance runs, a tenant without a running authenticator admits anyone, so a success before
     * this proves nothing.
     */
    private void awaitServing(String user, String wrongPassword) {
        await(user + "'s authenticator serves").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> refusal("probe", user, wrongPassword).getReasonCode()
                        == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    private static Mqtt5SubAckReasonCode subscribe(Mqtt5BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0);
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0);
        }
    }

    @Test
    public void usersInMongoDbLogInWithPlainSaltedSha256AndBcryptHashes() throws Exception {
        AdminHttp plain = tenant("mplain");
        AdminHttp.Reply created = plain.post("/authentication", authenticator(mongoPort, "{\"name\":\"plain\"}", ""));
        assertEquals(created.body(), 200, created.status());
        assertEquals(MONGODB, created.json().getAsJsonObject().get("id").getAsString());
        awaitServing("plain-alice@mplain", "S3cret");
        connect(dist, "p-1", "plain-alice@mplain", "s3cret").disconnect();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal("p-2", "plain-alice@mplain", "S3cret").getReasonCode());

        AdminHttp salted = tenant("msha");
        ok(salted.post("/authentication", authenticator(mongoPort, "{\"name\":\"sha256\",\"salt_position\":\"suffix\"}", "")));
        awaitServing("emqx_u@msha", "Public");
        connect(dist, "s-1", "emqx_u@msha", "public").disconnect();
        connect(dist, "s-2", "alice@msha", "s3cret").disconnect();
        Mqtt5ConnAck wrong = refusal("s-3", "alice@msha", "public");
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, wrong.getReasonCode());
        Mqtt5ConnAck unknown = refusal("s-4", "mallory@msha", "s3cret");
        assertEquals("no document: ignored, and no one else admits the client", Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
                unknown.getReasonCode());

        AdminHttp hashed = tenant("mbcrypt");
        ok(hashed.post("/authentication", authenticator(mongoPort, "{\"name\":\"bcrypt\"}", "")));
        awaitServing("bcrypt-bob@mbcrypt", "B0b");
        connect(dist, "b-1", "bcrypt-bob@mbcrypt", "zorb-k1wi").disconnect();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal("b-2", "bcrypt-bob@mbcrypt", "bob").getReasonCode());
        assertTrue(dist.console().contains("auth-mongodb: tenant=mbcrypt client=b-2 refused: bad username or password"));
        assertTrue("no password in the log", !dist.console().contains("zorb-k1wi"));
    }

    @Test
    public void operatorsInUserNamesAndClientIdsAreJustNamesNobodyHas() throws Exception {
        AdminHttp byName = tenant("minj");
        ok(byName.post("/authentication", authenticator(mongoPort, "{\"name\":\"sha256\",\"salt_position\":\"suffix\"}", "")));
        awaitServing("alice@minj", "public");
        connect(dist, "i-0", "alice@minj", "s3cret").disconnect();
        // spliced into the filter's text, each of these would select alice's document, and her password would admit them
        for (String hostile : List.of("{\"$ne\": null}", "{\"$gt\": \"a\"}", "{\"$regex\": \"^al\"}", "$where",
                "{\"$where\": \"true\"}", "alice\", \"$or\": [{}], \"x\": \"", "' OR '1'='1")) {
            assertEquals(hostile, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal("i-1", hostile + "@minj", "s3cret").getReasonCode());
        }
        // a user whose name looks like an operator is found by exactly that name
        connect(dist, "i-2", "{\"$gt\": \"\"}@minj", "odd").disconnect();

        AdminHttp byClient = tenant("minjc");
        ok(byClient.post("/authentication", authenticator(mongoPort, "{\"name\":\"sha256\",\"salt_position\":\"suffix\"}", "")
                .replace("{\"username\":\"${username}\"}", "{\"clientid\":\"${clientid}\"}")));
        await("by client id").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> refusal("dev-1", "anyone@minjc", "guess").getReasonCode() == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        connect(dist, "dev-1", "anyone@minjc", "s3cret").disconnect();
        for (String hostile : List.of("{\"$ne\": null}", "{\"$gt\": \"\"}", "$where", "{\"$where\": \"true\"}")) {
            assertEquals(hostile, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal(hostile, "anyone@minjc", "s3cret").getReasonCode());
        }
    }

    @Test
    public void mongoDbRulesDecidePublishAndSubscribeAndSuperusersSkipThem() throws Exception {
        AdminHttp acl = tenant("macl");
        ok(acl.post("/authentication", authenticator(mongoPort, "{\"name\":\"sha256\",\"salt_position\":\"suffix\"}", "")));
        AdminHttp.Reply source = acl.post("/authorization/sources",
                source("{\"$or\":[{\"username\":\"${username}\"},{\"clientid\":\"${clientid}\"}]}"));
        assertEquals(source.body(), 204, source.status());

        awaitServing("alice@macl", "guess");
        Mqtt5BlockingClient alice = connect(dist, "dev-1", "alice@macl", "s3cret");
        AtomicInteger probe = new AtomicInteger();
        await("authz-mongodb serves macl").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> subscribe(alice, "secret/" + probe.incrementAndGet()) == Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        Mqtt5PubAckException denied = assertThrows(Mqtt5PubAckException.class, () -> alice.publishWith()
                .topic("secret/plans").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send());
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, denied.getMqttMessage().getReasonCode());
        assertEquals("${username} rule", Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(alice, "users/alice/#"));
        alice.publishWith().topic("users/alice/temp").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        assertEquals("${clientid} rule", Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(alice, "devices/dev-1/cmd"));
        assertEquals("no match: ignore, then no_match = allow", Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                subscribe(alice, "devices/dev-2/cmd"));

        // an ignore passes to the next source: a file source denying everything else
        assertEquals(204, acl.post("/authorization/sources", "{\"type\":\"file\",\"rules\":\"{deny, all}.\"}").status());
        Mqtt5BlockingClient again = awaitConnect("dev-1", "alice@macl", "s3cret");
        await("the file source follows").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> subscribe(again, "other/" + probe.incrementAndGet()) == Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(again, "users/alice/x"));
        again.disconnect();

        // the user named {"$gt": ""} gets its own rules only: spliced, its name would select alice's rules too
        Mqtt5BlockingClient odd = awaitConnect("{\"$ne\": null}", "{\"$gt\": \"\"}@macl", "odd");
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(odd, "odd/1"));
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribe(odd, "users/{\"$gt\": \"\"}/x"));
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribe(odd, "devices/{\"$ne\": null}/cmd"));
        odd.disconnect();

        // a superuser skips authorization
        Mqtt5BlockingClient root = awaitConnect("root-1", "emqx_u@macl", "public");
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(root, "secret/#"));
        root.disconnect();
    }

    @Test
    public void aDatabaseThatIsDownIsIgnoredWithinTheConfiguredTimeouts() throws Exception {
        MongoServer other = new MongoServer(new MemoryBackend());
        other.bind("127.0.0.1", Distribution.freePort());
        int port = other.getLocalAddress().getPort();
        try (MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + port)) {
            c.getDatabase("mqtt").getCollection("mqtt_user")
                    .insertOne(new Document("username", "alice").append("password_hash", "s3cret"));
        }
        AdminHttp down = tenant("mdown");
        ok(down.post("/authentication", authenticator(port, "{\"name\":\"plain\"}", ",\"request_timeout\":\"3s\","
                + "\"topology\":{\"server_selection_timeout_ms\":1000,\"connect_timeout_ms\":1000,\"socket_timeout_ms\":\"1s\"}")));
        awaitServing("alice@mdown", "guess");
        connect(dist, "d-1", "alice@mdown", "s3cret").disconnect();

        other.shutdownNow();
        long begin = System.nanoTime();
        Mqtt5ConnAck refused = refusal("d-2", "alice@mdown", "s3cret");
        long ms = (System.nanoTime() - begin) / 1_000_000;
        assertEquals("down: ignored", Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getReasonCode());
        assertTrue("CONNACK after " + ms + " ms", ms < 4_500);
        await("the failure is logged").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> dist.console().contains("auth-mongodb: tenant=mdown client=d-2 lookup failed, ignored"));
    }

    @Test
    public void aDatabaseThatAcceptsButNeverAnswersIsIgnoredWithinTheServerSelectionTimeout() throws Exception {
        // the kernel completes the TCP handshakes into the backlog; nothing ever reads or answers
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            AdminHttp slow = tenant("mslow");
            ok(slow.post("/authentication", authenticator(hung.getLocalPort(), "{\"name\":\"plain\"}",
                    ",\"topology\":{\"server_selection_timeout_ms\":1500,\"connect_timeout_ms\":1000}")));
            await("auth-mongodb serves mslow").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> dist.console().contains("auth-mongodb: tenant=mslow enabled"));
            long begin = System.nanoTime();
            Mqtt5ConnAck refused = refusal("h-1", "alice@mslow", "s3cret");
            long ms = (System.nanoTime() - begin) / 1_000_000;
            assertEquals("hung: ignored", Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getReasonCode());
            assertTrue("CONNACK after " + ms + " ms", ms >= 1_000 && ms < 4_500);
        }
    }

    @Test
    public void theDatabaseIsReachedOverTlsWithTheConfiguredCa() throws Exception {
        TestPki pki = new TestPki(Files.createTempDirectory("mongo-auth-pki"), "mongo-ca");
        TestPki.Issued cert = pki.server("mongo");
        MongoServer tls = new MongoServer(new MemoryBackend());
        tls.enableSsl(cert.privateKey(), null, cert.certificate());
        tls.bind("127.0.0.1", Distribution.freePort());
        int port = tls.getLocalAddress().getPort();
        try {
            SSLContext trusting = SSLContext.getInstance("TLS");
            trusting.init(null, pki.trustManagerFactory().getTrustManagers(), null);
            try (MongoClient c = MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port))
                    .applyToSslSettings(b -> b.enabled(true).context(trusting)).build())) {
                c.getDatabase("mqtt").getCollection("mqtt_user")
                        .insertOne(new Document("username", "alice").append("password_hash", "s3cret"));
            }
            AdminHttp withCa = tenant("mtls");
            ok(withCa.post("/authentication", authenticator(port, "{\"name\":\"plain\"}",
                    ",\"ssl\":{\"enable\":true,\"verify\":\"verify_peer\",\"cacertfile\":\"" + pki.caFile() + "\"}")));
            awaitServing("alice@mtls", "guess");
            connect(dist, "t-1", "alice@mtls", "s3cret").disconnect();

            // the JVM's own CAs do not know the test CA: the handshake fails, so the lookup fails: ignored
            AdminHttp jvmCas = tenant("mtlsjvm");
            ok(jvmCas.post("/authentication", authenticator(port, "{\"name\":\"plain\"}",
                    ",\"ssl\":{\"enable\":true},\"topology\":{\"server_selection_timeout_ms\":1000}")));
            await("auth-mongodb serves mtlsjvm").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> dist.console().contains("auth-mongodb: tenant=mtlsjvm enabled"));
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal("t-3", "alice@mtlsjvm", "s3cret").getReasonCode());
        } finally {
            tls.shutdownNow();
        }
    }

    @Test
    public void aBadConfigIsRefusedWithA400NamingTheField() throws Exception {
        AdminHttp bad = tenant("mbad");
        AdminHttp.Reply notJson = bad.post("/authentication", authenticator(mongoPort, "{\"name\":\"plain\"}", "")
                .replace("{\"username\":\"${username}\"}", "\"username = ${username}\""));
        assertEquals(notJson.body(), 400, notJson.status());
        assertTrue(notJson.body(), notJson.message().contains("'filter'"));
        AdminHttp.Reply where = bad.post("/authorization/sources", source("{\"$where\":\"this.username == '${username}'\"}"));
        assertEquals(where.body(), 400, where.status());
        assertTrue(where.body(), where.message().contains("'filter'"));
        AdminHttp.Reply noCollection = bad.post("/authentication", authenticator(mongoPort, "{\"name\":\"plain\"}", "")
                .replace("\"collection\":\"mqtt_user\",", ""));
        assertEquals(noCollection.body(), 400, noCollection.status());
        assertTrue(noCollection.body(), noCollection.message().contains("collection"));
        AdminHttp.Reply rs = bad.post("/authorization/sources", source("{}").replace("\"single\"", "\"rs\""));
        assertEquals(rs.body(), 400, rs.status());
        assertTrue(rs.body(), rs.message().contains("replica_set_name"));
        assertEquals("nothing was stored", 0, bad.get("/authentication").json().getAsJsonArray().size());
    }
}
