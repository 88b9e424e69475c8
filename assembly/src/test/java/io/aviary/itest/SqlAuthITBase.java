package io.aviary.itest;

import static io.aviary.itest.BuiltinAuthIT.connect;
import static io.aviary.itest.BuiltinAuthIT.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.AfterClass;
import org.junit.Test;

/**
 * The SQL authenticators and authorization sources end to end, the same scenarios for MySQL
 * (MariaDB: auth-mysql, authz-mysql) and PostgreSQL (auth-pgsql, authz-pgsql): the test creates
 * EMQX's tables in the real server with its own command-line client, makes the tenant's chain with
 * EMQX's /authentication and /authorization/sources bodies, and real MQTT 5 clients connect,
 * publish and subscribe. One distribution per class; every test has its own tenants.
 */
public abstract class SqlAuthITBase {
    protected static final String USERS = "mqtt_user_it";
    protected static final String ACL = "mqtt_acl_it";
    protected static Distribution dist;
    protected static AdminHttp admin;

    /** EMQX's backend and source type: mysql or postgresql. */
    protected abstract String backend();

    /** The plugin id of the authenticator, as it logs ("auth-mysql"). */
    protected abstract String authPlugin();

    /** The service of scripts/services.sh: mariadb or postgres. */
    protected abstract String service();

    /** Runs SQL with the server's own command-line client; returns its unaligned output. */
    protected abstract String sql(String statement) throws Exception;

    /** EMQX's users and rules tables (written so that both servers take them), with the test's rows. */
    protected static void createTables(SqlAuthITBase db) throws Exception {
        db.sql("DROP TABLE IF EXISTS " + USERS);
        db.sql("DROP TABLE IF EXISTS " + ACL);
        db.sql("CREATE TABLE " + USERS + " (id INT PRIMARY KEY, username VARCHAR(100) NOT NULL, clientid VARCHAR(100),"
                + " password_hash VARCHAR(100), salt VARCHAR(40), is_superuser INT)");
        String carolSalt = "c0ffee";
        String carolHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(("c4rol" + carolSalt).getBytes(StandardCharsets.UTF_8)));
        String daveHash = OpenBSDBCrypt.generate("2b", "d4ve".getBytes(StandardCharsets.UTF_8), new byte[16], 4);
        db.sql("INSERT INTO " + USERS + " (id, username, clientid, password_hash, salt, is_superuser) VALUES "
                + "(1, 'alice', 'alice-1', 's3cret', NULL, 0), (2, 'root', NULL, 't00r', NULL, 1), "
                + "(3, 'carol', NULL, '" + carolHash + "', '" + carolSalt + "', NULL), "
                + "(4, 'dave', NULL, '" + daveHash + "', NULL, 0), (5, 'eve', NULL, '3ve', NULL, 0), "
                + "(6, 'nopass', NULL, NULL, NULL, 0)");
        db.sql("CREATE TABLE " + ACL + " (id INT PRIMARY KEY, username VARCHAR(100), clientid VARCHAR(100), "
                + "permission VARCHAR(5) NOT NULL, action VARCHAR(9) NOT NULL, topic VARCHAR(100) NOT NULL, qos VARCHAR(5), "
                + "retain INT)");
        db.sql("INSERT INTO " + ACL + " (id, username, clientid, permission, action, topic, qos, retain) VALUES "
                + "(1, 'alice', NULL, 'deny', 'publish', 'users/${username}/secret', NULL, NULL), "
                + "(2, 'alice', NULL, 'allow', 'all', 'users/${username}/#', NULL, NULL), "
                + "(3, 'alice', NULL, 'deny', 'publish', 'alerts/#', '1,2', NULL), "
                + "(4, NULL, 'dev-1', 'allow', 'subscribe', 'devices/${clientid}/#', NULL, NULL), "
                + "(5, NULL, 'dev-1', 'deny', 'all', 'devices/#', NULL, NULL), "
                + "(6, 'root', NULL, 'deny', 'all', '#', NULL, NULL), "
                + "(7, 'alice', NULL, 'deny', 'publish', 'retained/#', NULL, 1)");
    }

    protected static void startDistribution() throws Exception {
        dist = new Distribution().start().awaitApi();
        admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
    }

    @AfterClass
    public static void stopDistribution() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private AdminHttp tenant(String id) throws Exception {
        ok(admin.post("/tenants", "{\"id\":\"" + id + "\"}"));
        return admin.as(BuiltinAuthIT.tenantKey(admin, id));
    }

    /** EMQX's connection fields for the real server. */
    private String connection(int port) {
        return "\"server\":\"127.0.0.1:" + port + "\",\"database\":\"" + SqlServers.DATABASE + "\",\"username\":\""
                + SqlServers.USER + "\",\"password\":\"" + SqlServers.PASSWORD + "\",\"pool_size\":2";
    }

    private String authenticator(int port, String query, String algorithm) {
        return "{\"mechanism\":\"password_based\",\"backend\":\"" + backend() + "\"," + connection(port)
                + ",\"query\":\"" + query + "\",\"query_timeout\":\"1s\",\"password_hash_algorithm\":" + algorithm + "}";
    }

    private String authenticator(String algorithm) throws Exception {
        return authenticator(SqlServers.port(service()),
                "SELECT password_hash, salt, is_superuser FROM " + USERS + " WHERE username = ${username} LIMIT 1", algorithm);
    }

    private String source(String query) throws Exception {
        return "{\"type\":\"" + backend() + "\"," + connection(SqlServers.port(service())) + ",\"query\":\"" + query + "\"}";
    }

    private Mqtt5ConnAck refusal(String id, String user, String password) {
        return assertThrows(Mqtt5ConnAckException.class, () -> connect(dist, id, user, password)).getMqttMessage();
    }

    private Mqtt5BlockingClient awaitConnect(String id, String user, String password) {
        return await(user + " admitted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> connect(dist, id, user, password), c -> c.getState().isConnected());
    }

    private static Mqtt5SubAckReasonCode subscribe(Mqtt5BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0);
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0);
        }
    }

    private static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient c, String topic, MqttQos qos, boolean retain) {
        try {
            c.publishWith().topic(topic).qos(qos).retain(retain).payload(new byte[] {1}).send();
            return Mqtt5PubAckReasonCode.SUCCESS;
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    @Test
    public void theUsersTableDecidesWhoConnectsWithEachHashAlgorithm() throws Exception {
        AdminHttp plain = tenant(backend() + "-plain");
        AdminHttp.Reply created = ok(plain.post("/authentication", authenticator("{\"name\":\"plain\"}")));
        assertEquals("password_based:" + backend(), created.json().getAsJsonObject().get("id").getAsString());
        String tenant = "@" + backend() + "-plain";

        // success, and is_superuser read from the row
        awaitConnect("alice-1", "alice" + tenant, "s3cret").disconnect();
        awaitConnect("root-1", "root" + tenant, "t00r").disconnect();
        // a row whose hash does not match: EMQX's bad_username_or_password, logged without the password
        Mqtt5ConnAck wrong = refusal("alice-2", "alice" + tenant, "guess-pw-123");
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, wrong.getReasonCode());
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal("np", "nopass" + tenant, "x").getReasonCode());
        await("the refusal is logged").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() ->
                dist.console().contains(authPlugin() + ": tenant=" + backend() + "-plain client=alice-2 refused: wrong password"));
        assertFalse("no password in the log", dist.console().contains("guess-pw-123"));
        // no row: ignored, and nobody else in the chain accepts the client
        Mqtt5ConnAck unknown = refusal("m-1", "mallory" + tenant, "s3cret");
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, unknown.getReasonCode());
        assertEquals("no authenticator accepted the client", unknown.getReasonString().map(Object::toString).orElse(""));

        // a salted sha256 row (salt after the password) and a bcrypt row
        AdminHttp sha = tenant(backend() + "-sha");
        ok(sha.post("/authentication", authenticator("{\"name\":\"sha256\",\"salt_position\":\"suffix\"}")));
        awaitConnect("carol-1", "carol@" + backend() + "-sha", "c4rol").disconnect();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                refusal("carol-2", "carol@" + backend() + "-sha", "c4rolc0ffee").getReasonCode());
        AdminHttp bcrypt = tenant(backend() + "-bcrypt");
        ok(bcrypt.post("/authentication", authenticator("{\"name\":\"bcrypt\"}")));
        awaitConnect("dave-1", "dave@" + backend() + "-bcrypt", "d4ve").disconnect();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                refusal("dave-2", "dave@" + backend() + "-bcrypt", "d4vE").getReasonCode());
    }

    @Test
    public void injectionAttemptsInUsernameAndClientIdMatchNoRow() throws Exception {
        AdminHttp t = tenant(backend() + "-inj");
        String tenant = "@" + backend() + "-inj";
        ok(t.post("/authentication", authenticator(SqlServers.port(service()), "SELECT password_hash, salt, is_superuser FROM "
                + USERS + " WHERE username = ${username} AND clientid = ${clientid}", "{\"name\":\"plain\"}")));
        awaitConnect("alice-1", "alice" + tenant, "s3cret").disconnect();

        // a row matched would answer 0x86 (or admit); no row is ignore, so the tenant refuses with 0x87
        for (String user : List.of("' OR '1'='1", "alice' -- ", "alice' #", "alice'; DROP TABLE " + USERS + "; --",
                "alice\\' OR 1=1 -- ", "$$ OR $$1$$=$$1", "\" OR \"\"=\"")) {
            assertEquals(user, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal("alice-1", user + tenant, "s3cret").getReasonCode());
        }
        for (String clientId : List.of("x' OR '1'='1", "alice-1' OR 'a'='a", "') OR ('1'='1", "alice-1'; --")) {
            assertEquals(clientId, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusal(clientId, "alice" + tenant, "s3cret").getReasonCode());
        }
        assertEquals("the table is intact", "6", sql("SELECT count(*) FROM " + USERS).strip());
        awaitConnect("alice-1", "alice" + tenant, "s3cret").disconnect();
    }

    @Test
    public void aDatabaseThatIsDownOrSilentIsIgnoredWithinTheQueryTimeout() throws Exception {
        AdminHttp t = tenant(backend() + "-down");
        String tenant = "@" + backend() + "-down";
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        ok(t.post("/authentication", authenticator(closed, "SELECT password_hash FROM " + USERS
                + " WHERE username = ${username}", "{\"name\":\"plain\"}")));
        await("the authenticator runs").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> dist.console().contains(authPlugin() + ": tenant=" + backend() + "-down enabled"));
        assertRefusedWithin("alice-1", "alice" + tenant, 4_500);

        // a server that accepts connections and never answers: cut off by query_timeout (1s)
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closedNow) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            AdminHttp s = tenant(backend() + "-silent");
            ok(s.post("/authentication", authenticator(silent.getLocalPort(), "SELECT password_hash FROM " + USERS
                    + " WHERE username = ${username}", "{\"name\":\"plain\"}")));
            await("the authenticator runs").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> dist.console().contains(authPlugin() + ": tenant=" + backend() + "-silent enabled"));
            long ms = assertRefusedWithin("alice-1", "alice@" + backend() + "-silent", 4_500);
            assertTrue("waited for the database until about the query timeout: " + ms + " ms", ms >= 700);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private long assertRefusedWithin(String id, String user, long limitMs) {
        long begin = System.nanoTime();
        Mqtt5ConnAck down = refusal(id, user, "s3cret");
        long ms = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, down.getReasonCode());
        assertTrue("answered in " + ms + " ms", ms < limitMs);
        return ms;
    }

    @Test
    public void theRulesTableDecidesPublishAndSubscribe() throws Exception {
        AdminHttp t = tenant(backend() + "-acl");
        String tenant = "@" + backend() + "-acl";
        ok(t.post("/authentication", authenticator("{\"name\":\"plain\"}")));
        AdminHttp.Reply source = t.post("/authorization/sources", source("SELECT permission, action, topic, qos, retain FROM "
                + ACL + " WHERE username = ${username} OR clientid = ${clientid} ORDER BY id"));
        assertEquals(source.body(), 204, source.status());
        assertEquals("the source is not an authenticator", 1, t.get("/authentication").json().getAsJsonArray().size());
        // the rules must be in force before the first decision (the broker caches decisions per client)
        String authzPlugin = authPlugin().replace("auth-", "authz-");
        await("the source runs").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> dist.console().contains(authzPlugin + ": tenant=" + backend() + "-acl enabled"));

        Mqtt5BlockingClient alice = awaitConnect("alice-1", "alice" + tenant, "s3cret");
        // first match in row order: the deny row comes before the allow row that also covers it
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, publish(alice, "users/alice/secret", MqttQos.AT_LEAST_ONCE, false));
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(alice, "users/alice/#"));
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, publish(alice, "users/alice/x", MqttQos.AT_LEAST_ONCE, false));
        // qos and retain columns narrow a row
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, publish(alice, "alerts/a", MqttQos.AT_LEAST_ONCE, false));
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, publish(alice, "retained/a", MqttQos.AT_LEAST_ONCE, true));
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, publish(alice, "retained/b", MqttQos.AT_LEAST_ONCE, false));
        // no row matches: ignored, and the tenant's no_match (allow, as EMQX) decides
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(alice, "users/bob/x"));
        alice.disconnect();

        // ${clientid} rows: the client's own subtree, then a deny for the rest
        Mqtt5BlockingClient dev = awaitConnect("dev-1", "eve" + tenant, "3ve");
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(dev, "devices/dev-1/cmd"));
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribe(dev, "devices/dev-2/cmd"));
        dev.disconnect();

        // a client id that would match every row if it were spliced into the query matches none
        Mqtt5BlockingClient eve = awaitConnect("' OR '1'='1", "eve" + tenant, "3ve");
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, publish(eve, "users/eve/secret", MqttQos.AT_LEAST_ONCE, false));
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(eve, "devices/dev-2/cmd"));
        eve.disconnect();

        // a superuser skips authorization, though a row denies root everything
        Mqtt5BlockingClient root = awaitConnect("root-1", "root" + tenant, "t00r");
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(root, "secret/#"));
        root.disconnect();
    }

    @Test
    public void aBadConfigIsRefusedWithA400NamingTheField() throws Exception {
        AdminHttp t = tenant(backend() + "-bad");
        List<String[]> cases = new ArrayList<>();
        String good = authenticator("{\"name\":\"plain\"}");
        cases.add(new String[] {good.replace("username = ${username} LIMIT 1", "username = '${username}'"), "'query'"});
        cases.add(new String[] {good.replace("${username}", "${password}"), "'query'"});
        cases.add(new String[] {good.replace("\"query_timeout\":\"1s\"", "\"query_timeout\":\"soon\""), "'query_timeout'"});
        cases.add(new String[] {good.replace("{\"name\":\"plain\"}", "{\"name\":\"rot13\"}"), "'password_hash_algorithm"});
        cases.add(new String[] {good.replace("\"server\":\"127.0.0.1:", "\"server\":\"127.0.0.1:9"), "'server'"});
        cases.add(new String[] {good.replace(",\"pool_size\":2", ",\"pool_size\":0"), "'pool_size'"});
        for (String[] c : cases) {
            AdminHttp.Reply r = t.post("/authentication", c[0]);
            assertEquals(c[0] + " -> " + r.body(), 400, r.status());
            assertTrue(c[1] + " in " + r.body(), r.message().contains(c[1]));
        }
        AdminHttp.Reply source = t.post("/authorization/sources", source("SELECT permission, action, topic FROM " + ACL
                + " WHERE username = ? OR clientid = ${clientid}"));
        assertEquals(source.body(), 400, source.status());
        assertTrue(source.body(), source.message().contains("'query'"));
        String withHash = source("SELECT permission, action, topic FROM " + ACL + " WHERE username = ${username}");
        withHash = withHash.substring(0, withHash.length() - 1) + ",\"password_hash_algorithm\":{\"name\":\"plain\"}}";
        AdminHttp.Reply hash = t.post("/authorization/sources", withHash);
        assertEquals(hash.body(), 400, hash.status());
        assertTrue(hash.body(), hash.message().contains("password_hash_algorithm"));
        assertEquals("nothing was created", 0, t.get("/authentication").json().getAsJsonArray().size());
    }
}
