package io.aviary.auth.builtin;

import io.aviary.auth.builtin.hash.HashSpec;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonParser;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Decision;
import io.aviary.api.auth.UserStore.StoredUser;
import io.aviary.api.client.ClientInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The user store a tenant's clients are checked against: CRUD, persistence, and the authenticator's answers. */
public class BuiltinDatabaseTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final Settings SHA = Settings.of("username",
            JsonParser.parseString("{\"name\":\"sha256\",\"salt_position\":\"suffix\"}").getAsJsonObject());

    private static AuthResult connect(BuiltinDatabase db, Settings s, String clientId, String user, String password) {
        ClientInfo client = new ClientInfo("acme", clientId, user, null, "mqtt", 5, "tcp:default", null, null, null);
        return BuiltinAuthenticator.decide(db, "acme", s,
                new AuthRequest(client, user, password == null ? null : password.getBytes(StandardCharsets.UTF_8), null, null));
    }

    @Test
    public void usersSurviveARestartOfThePlugin() throws Exception {
        Path dir = tmp.newFolder().toPath();
        BuiltinDatabase first = new BuiltinDatabase(dir);
        first.attach("acme", SHA, this);
        assertTrue(first.create("acme", "alice", "secret", false));
        assertTrue(first.create("acme", "root", "toor", true));
        first.update("acme", "alice", "secret2", null);
        assertTrue(first.delete("acme", "root"));

        BuiltinDatabase second = new BuiltinDatabase(dir);
        second.attach("acme", SHA, this);
        assertEquals(List.of(new StoredUser("alice", false)), second.list("acme"));
        assertEquals(Decision.ALLOW, connect(second, SHA, "c1", "alice", "secret2").decision());
        assertFalse(Files.readString(dir.resolve("acme.json")).contains("secret2"));
    }

    @Test
    public void theAuthenticatorAllowsDeniesOrIgnoresAsEmqxDoes() {
        BuiltinDatabase db = new BuiltinDatabase(tmp.getRoot().toPath());
        db.attach("acme", SHA, this);
        db.create("acme", "alice", "secret", false);
        db.create("acme", "root", "toor", true);
        assertEquals(Decision.ALLOW, connect(db, SHA, "c1", "alice", "secret").decision());
        assertFalse(connect(db, SHA, "c1", "alice", "secret").superuser());
        assertTrue(connect(db, SHA, "c1", "root", "toor").superuser());
        AuthResult wrong = connect(db, SHA, "c1", "alice", "nope");
        assertEquals(Decision.DENY, wrong.decision());
        assertEquals(AuthResult.BAD_USERNAME_OR_PASSWORD, wrong.reasonCode());
        assertEquals(Decision.DENY, connect(db, SHA, "c1", "alice", null).decision());
        assertEquals(Decision.IGNORE, connect(db, SHA, "c1", "bob", "secret").decision());
        assertEquals(Decision.IGNORE, connect(db, SHA, "c1", null, null).decision());
        assertEquals(Decision.IGNORE, connect(db, SHA, "c1", "' OR '1'='1", "x' OR '1'='1").decision());
        assertEquals(Decision.IGNORE, connect(db, SHA, "c1", "{\"$where\": \"1\"}", "x").decision());
    }

    @Test
    public void clientIdCanBeTheUserId() {
        Settings byClient = Settings.of("clientid", JsonParser.parseString("{\"name\":\"plain\"}").getAsJsonObject());
        BuiltinDatabase db = new BuiltinDatabase(tmp.getRoot().toPath());
        db.attach("acme", byClient, this);
        db.create("acme", "sensor-1", "pw", false);
        assertEquals(Decision.ALLOW, connect(db, byClient, "sensor-1", "anyone", "pw").decision());
        assertEquals(Decision.IGNORE, connect(db, byClient, "sensor-2", "sensor-1", "pw").decision());
    }

    @Test
    public void usersHashedBeforeAnAlgorithmChangeStillLogIn() {
        BuiltinDatabase db = new BuiltinDatabase(tmp.getRoot().toPath());
        db.attach("acme", SHA, this);
        db.create("acme", "old", "pw1", false);
        Settings bcrypt = Settings.of("username", JsonParser.parseString("{\"name\":\"bcrypt\",\"salt_rounds\":4}").getAsJsonObject());
        db.attach("acme", bcrypt, this);
        db.create("acme", "new", "pw2", false);
        assertEquals(Decision.ALLOW, connect(db, bcrypt, "c", "old", "pw1").decision());
        assertEquals(Decision.ALLOW, connect(db, bcrypt, "c", "new", "pw2").decision());
    }

    @Test
    public void aTenantThatDidNotEnableThePluginHasNoUsers() {
        BuiltinDatabase db = new BuiltinDatabase(tmp.getRoot().toPath());
        Object instance = new Object();
        db.attach("acme", SHA, instance);
        assertTrue(db.enabled("acme"));
        assertFalse(db.enabled("other"));
        db.detach("acme", new Object()); // an older instance going away leaves the current one
        assertTrue(db.enabled("acme"));
        db.detach("acme", instance);
        assertFalse(db.enabled("acme"));
        try {
            db.list("acme");
            throw new AssertionError("expected IllegalStateException");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("acme"));
        }
    }

    @Test
    public void theInstanceConfigIsReadAsThePluginManagerStoresIt() {
        // nested objects arrive as JSON text, integral numbers possibly written as 1000.0
        Settings s = Settings.from(java.util.Map.of("tenant", "acme", "user_id_type", "clientid",
                "password_hash_algorithm", "{\"name\":\"pbkdf2\",\"mac_fun\":\"sha512\",\"iterations\":1000.0}"));
        assertEquals("clientid", s.userIdType());
        assertEquals(1000, s.algorithm().iterations());
        assertEquals("sha512", s.algorithm().macFun());
        assertEquals(HashSpec.DEFAULT, Settings.from(java.util.Map.of("tenant", "acme")).algorithm());
    }

    @Test
    public void anExistingUserIsNotOverwrittenByCreate() {
        BuiltinDatabase db = new BuiltinDatabase(tmp.getRoot().toPath());
        db.attach("acme", SHA, this);
        assertTrue(db.create("acme", "alice", "secret", false));
        assertFalse(db.create("acme", "alice", "other", true));
        assertEquals(Decision.ALLOW, connect(db, SHA, "c", "alice", "secret").decision());
        assertFalse(db.get("acme", "alice").orElseThrow().superuser());
    }
}
