package io.aviary.auth.scram;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.ScramMechanism;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Test;

/** The server half of SCRAM against an independent client (ongres scram-client), step by step. */
public class ScramAuthenticatorTest {

    private ScramUsers users;
    private ScramAuthenticator auth;
    private final ClientInfo client = new ClientInfo("t", "dev-1", null, new InetSocketAddress("127.0.0.1", 40000),
            "mqtt", 5, "tcp:default", null, null, Map.of());

    @Before
    public void setUp() throws Exception {
        users = new ScramUsers(Files.createTempDirectory("scram"));
        auth = new ScramAuthenticator(users, "t", new ScramSettings(ScramMechanism.SCRAM_SHA_256, 4096));
        users.create("t", "alice", "pencil", false);
        users.create("t", "root", "r00t", true);
    }

    private AuthResult step(String method, String data) {
        return auth.decide(new AuthRequest(client, null, null, method,
                ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8))));
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    private static ScramClient client(String user, String password) {
        return ScramClient.builder().advertisedMechanisms(List.of("SCRAM-SHA-256")).username(user)
                .password(password.toCharArray()).build();
    }

    @Test
    public void aGoodPasswordIsAllowedAndTheServerProvesItKnowsTheKeysToo() throws Exception {
        ScramClient c = client("root", "r00t");
        AuthResult challenge = step("SCRAM-SHA-256", c.clientFirstMessage().toString());
        assertTrue(challenge.isChallenge());
        c.serverFirstMessage(text(challenge.continueData()));
        AuthResult done = step("SCRAM-SHA-256", c.clientFinalMessage().toString());
        assertEquals(Decision.ALLOW, done.decision());
        assertTrue("the superuser flag travels", done.superuser());
        c.serverFinalMessage(text(done.continueData())); // throws unless the server signature verifies
    }

    @Test
    public void aWrongPasswordIsDeniedWithBadUserNameOrPassword() throws Exception {
        ScramClient c = client("alice", "wrong");
        c.serverFirstMessage(text(step("SCRAM-SHA-256", c.clientFirstMessage().toString()).continueData()));
        AuthResult done = step("SCRAM-SHA-256", c.clientFinalMessage().toString());
        assertEquals(Decision.DENY, done.decision());
        assertEquals(AuthResult.BAD_USERNAME_OR_PASSWORD, done.reasonCode());
    }

    @Test
    public void unknownUsersAndOtherMethodsAreLeftToTheNextAuthenticator() throws Exception {
        assertEquals(Decision.IGNORE, step("SCRAM-SHA-256", client("mallory", "x").clientFirstMessage().toString()).decision());
        assertEquals(Decision.IGNORE, step("TOKEN", "whatever").decision());
        assertTrue(!step("TOKEN", "whatever").isChallenge());
    }

    @Test
    public void aReplayedOrForgedFinalMessageIsDenied() throws Exception {
        ScramClient c = client("alice", "pencil");
        c.serverFirstMessage(text(step("SCRAM-SHA-256", c.clientFirstMessage().toString()).continueData()));
        String fin = c.clientFinalMessage().toString();
        String forgedNonce = fin.replaceFirst("r=([^,]*)", "r=$1x");
        assertEquals(Decision.DENY, step("SCRAM-SHA-256", forgedNonce).decision());
        assertEquals("the exchange is spent after one final message", Decision.DENY,
                step("SCRAM-SHA-256", fin).decision());
        assertEquals(Decision.DENY, step("SCRAM-SHA-256", "n,,garbage").decision());
        assertEquals("another mechanism than the user's keys", Decision.DENY,
                step("SCRAM-SHA-512", client("alice", "pencil").clientFirstMessage().toString()).decision());
    }

    @Test
    public void theUsersSurviveAReloadAndNeverHoldThePassword() throws Exception {
        java.nio.file.Path dir = Files.createTempDirectory("scram");
        ScramUsers first = new ScramUsers(dir);
        new ScramAuthenticator(first, "t", new ScramSettings(ScramMechanism.SCRAM_SHA_512, 1000));
        first.create("t", "bob", "s3cret-pass", true);
        String file = Files.readString(dir.resolve("t.json"));
        assertTrue(file, !file.contains("s3cret-pass") && file.contains("SCRAM-SHA-512"));
        ScramUsers reloaded = new ScramUsers(dir);
        new ScramAuthenticator(reloaded, "t", new ScramSettings(ScramMechanism.SCRAM_SHA_256, 4096));
        assertTrue(reloaded.get("t", "bob").orElseThrow().superuser());
    }
}
