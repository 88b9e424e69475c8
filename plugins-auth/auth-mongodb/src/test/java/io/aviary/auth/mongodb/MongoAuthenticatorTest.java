package io.aviary.auth.mongodb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.builtin.hash.HashSpec;
import io.aviary.auth.builtin.hash.PasswordHasher;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The authenticator against mongo-java-server (MongoDB's wire protocol, emulated in this JVM). */
public class MongoAuthenticatorTest {
    private MongoServer server;
    private InetSocketAddress address;
    private MongoAuthenticator authenticator;

    @Before
    public void start() {
        server = new MongoServer(new MemoryBackend());
        address = server.bind();
        try (MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            c.getDatabase("mqtt").getCollection("users").insertMany(List.of(
                    // EMQX's documented example: sha256 with the salt as suffix
                    new Document("name", "emqx_u").append("pw", sha256("public" + "slat_foo123"))
                            .append("s", "slat_foo123").append("su", true),
                    new Document("name", "one").append("pw", sha256("pw1" + "x")).append("s", "x").append("su", 1),
                    new Document("name", "text").append("pw", sha256("pw2")).append("su", "true"),
                    new Document("name", "nohash").append("password", "plain")));
        }
    }

    @After
    public void stop() {
        if (authenticator != null) {
            authenticator.deactivate();
        }
        server.shutdownNow();
    }

    private static String sha256(String s) {
        return PasswordHasher.hash(new HashSpec("sha256", "disable", 10, "sha256", 1, 0), s.getBytes(StandardCharsets.UTF_8))
                .hash();
    }

    private void configure(String algorithm) {
        Map<String, Object> c = new HashMap<>();
        c.put("server", "127.0.0.1:" + address.getPort());
        c.put("database", "mqtt");
        c.put("collection", "users");
        c.put("filter", "{\"name\": \"${username}\"}");
        c.put("password_hash_field", "pw");
        c.put("salt_field", "s");
        c.put("is_superuser_field", "su");
        c.put("password_hash_algorithm", algorithm);
        authenticator = new MongoAuthenticator("acme", c, null);
    }

    private AuthResult connect(String username, String password) throws Exception {
        ClientInfo client = new ClientInfo("acme", "c1", username, new InetSocketAddress("127.0.0.1", 5000), "mqtt", 5,
                "tcp:default", null, null, Map.of());
        return authenticator.authenticate(new AuthRequest(client, username,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8), null, null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    public void theRightPasswordAdmitsAndTheSuperuserFieldIsReadAsEmqxDoes() throws Exception {
        configure("{\"name\": \"sha256\", \"salt_position\": \"suffix\"}");
        AuthResult emqx = connect("emqx_u", "public");
        assertEquals(Decision.ALLOW, emqx.decision());
        assertTrue(emqx.superuser());
        assertTrue("1 is true", connect("one", "pw1").superuser());
        AuthResult text = connect("text", "pw2");
        assertEquals("no salt field: the empty salt", Decision.ALLOW, text.decision());
        assertTrue("\"true\" is true", text.superuser());
    }

    @Test
    public void aWrongOrMissingPasswordIsBadUserNameOrPassword() throws Exception {
        configure("{\"name\": \"sha256\", \"salt_position\": \"suffix\"}");
        for (String wrong : new String[] {"Public", "", null}) {
            AuthResult r = connect("emqx_u", wrong);
            assertEquals(Decision.DENY, r.decision());
            assertEquals(AuthResult.BAD_USERNAME_OR_PASSWORD, r.reasonCode());
            assertFalse(r.superuser());
        }
    }

    @Test
    public void anUnknownUserOrADocumentWithoutAHashIsIgnored() throws Exception {
        configure("{\"name\": \"sha256\", \"salt_position\": \"suffix\"}");
        assertEquals(Decision.IGNORE, connect("nobody", "public").decision());
        assertEquals(Decision.IGNORE, connect("nohash", "plain").decision());
        assertEquals(Decision.IGNORE, connect("{\"$ne\": null}", "public").decision());
    }
}
