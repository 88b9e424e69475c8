package io.aviary.authz.builtin;

import static io.aviary.api.auth.Action.PUBLISH;
import static io.aviary.api.auth.Action.SUBSCRIBE;
import static io.aviary.api.auth.Decision.ALLOW;
import static io.aviary.api.auth.Decision.DENY;
import static io.aviary.api.auth.Decision.IGNORE;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.api.auth.AclRuleStore.Rule;
import io.aviary.api.auth.AclRuleStore.RuleAction;
import io.aviary.api.auth.AclRuleStore.Subject;
import io.aviary.api.auth.AclRuleStore.Who;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The per-tenant rule store: EMQX's check order and matching, its CRUD, its file, and max_rules. */
public class AclDatabaseTest {
    @org.junit.Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dir;
    private AclDatabase db;
    private final Object owner = new Object();

    @Before
    public void setUp() throws Exception {
        dir = tmp.newFolder("authz-builtin").toPath();
        db = new AclDatabase(dir);
        db.attach("acme", 3, owner);
    }

    static Rule allow(String topic) {
        return new Rule(topic, Decision.ALLOW, RuleAction.ALL, null, null);
    }

    static Rule deny(String topic) {
        return new Rule(topic, Decision.DENY, RuleAction.ALL, null, null);
    }

    static ClientInfo client(String clientId, String username) {
        return new ClientInfo("acme", clientId, username, new InetSocketAddress("127.0.0.1", 5000), "mqtt", 5,
                "tcp:default", null, null, Map.of());
    }

    private Decision pub(String clientId, String username, String topic) {
        return db.decide("acme", client(clientId, username), PUBLISH, topic, 1, false);
    }

    @Test
    public void aClientsOwnRulesComeFirstThenTheUsersThenTheRulesForAll() {
        db.put("acme", Who.CLIENTID, "dev-1", List.of(deny("t/client-denied"), allow("t/both")));
        db.put("acme", Who.USERNAME, "alice", List.of(allow("t/client-denied"), deny("t/both"), deny("t/user-denied")));
        db.putAll("acme", List.of(allow("t/user-denied"), deny("t/#")));

        assertEquals("the client's rule decides before the user's", DENY, pub("dev-1", "alice", "t/client-denied"));
        assertEquals(ALLOW, pub("dev-1", "alice", "t/both"));
        assertEquals("the user's rule decides before the rules for all", DENY, pub("dev-1", "alice", "t/user-denied"));
        assertEquals("another client of the same user", ALLOW, pub("dev-2", "alice", "t/client-denied"));
        assertEquals("the rules for all, first match wins", ALLOW, pub("dev-2", "bob", "t/user-denied"));
        assertEquals(DENY, pub("dev-2", "bob", "t/other"));
        assertEquals("no rule matches: the source ignores", IGNORE, pub("dev-2", "bob", "elsewhere"));
        assertEquals("a client without a user name skips the user rules", ALLOW, pub("dev-3", null, "t/user-denied"));
    }

    @Test
    public void topicsMatchWithPlaceholdersExactTopicsQosAndRetain() {
        db.putAll("acme", List.of(
                new Rule("eq cmd/#", Decision.ALLOW, RuleAction.SUBSCRIBE, null, null),
                new Rule("up/${clientid}/#", Decision.ALLOW, RuleAction.PUBLISH, List.of(0, 1), false),
                new Rule("users/${username}/+", Decision.ALLOW, RuleAction.ALL, null, null)));
        ClientInfo dev = client("dev-1", "alice");
        assertEquals(ALLOW, db.decide("acme", dev, PUBLISH, "up/dev-1/temp", 1, false));
        assertEquals("another client's topic", IGNORE, db.decide("acme", dev, PUBLISH, "up/dev-2/temp", 1, false));
        assertEquals("qos 2 is outside the rule", IGNORE, db.decide("acme", dev, PUBLISH, "up/dev-1/temp", 2, false));
        assertEquals("retained is outside the rule", IGNORE, db.decide("acme", dev, PUBLISH, "up/dev-1/temp", 0, true));
        assertEquals("publish-only rule", IGNORE, db.decide("acme", dev, SUBSCRIBE, "up/dev-1/temp", 0, false));
        assertEquals(ALLOW, db.decide("acme", dev, SUBSCRIBE, "users/alice/state", 1, false));
        assertEquals(IGNORE, db.decide("acme", dev, SUBSCRIBE, "users/bob/state", 1, false));
        assertEquals("eq: only that exact filter", ALLOW, db.decide("acme", dev, SUBSCRIBE, "cmd/#", 0, false));
        assertEquals("eq: no wildcard meaning", IGNORE, db.decide("acme", dev, SUBSCRIBE, "cmd/reboot", 0, false));
        assertEquals("a user named + gains no one else's topics", IGNORE,
                db.decide("acme", client("x", "+"), SUBSCRIBE, "users/bob/state", 0, false));
    }

    @Test
    public void createIsAllOrNothingAndReportsWhoAlreadyHasRules() {
        assertEquals(List.of(), db.create("acme", Who.USERNAME, Map.of("alice", List.of(allow("a")))));
        Map<String, List<Rule>> batch = new LinkedHashMap<>();
        batch.put("bob", List.of(allow("b")));
        batch.put("alice", List.of(allow("c")));
        assertEquals(List.of("alice"), db.create("acme", Who.USERNAME, batch));
        assertFalse("bob was not stored", db.get("acme", Who.USERNAME, "bob").isPresent());
        assertEquals(List.of(allow("a")), db.get("acme", Who.USERNAME, "alice").orElseThrow());
        assertFalse("users and clients are apart", db.get("acme", Who.CLIENTID, "alice").isPresent());
    }

    @Test
    public void aListLongerThanMaxRulesIsRefusedAndNothingChanges() {
        db.put("acme", Who.CLIENTID, "dev-1", List.of(allow("a")));
        List<Rule> four = List.of(allow("a"), allow("b"), allow("c"), allow("d"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> db.put("acme", Who.CLIENTID, "dev-1", four));
        assertTrue(e.getMessage(), e.getMessage().contains("max_rules = 3"));
        assertThrows(IllegalArgumentException.class, () -> db.putAll("acme", four));
        assertThrows(IllegalArgumentException.class, () -> db.create("acme", Who.USERNAME,
                Map.of("ok", List.of(allow("a")), "long", four)));
        assertEquals(List.of(allow("a")), db.get("acme", Who.CLIENTID, "dev-1").orElseThrow());
        assertEquals(List.of(), db.list("acme", Who.USERNAME));
        assertEquals(List.of(), db.all("acme"));
    }

    @Test
    public void rulesSurviveANewStoreReadingTheSameFile() {
        Rule detailed = new Rule("eq a/#", Decision.DENY, RuleAction.PUBLISH, List.of(2), true);
        db.put("acme", Who.USERNAME, "alice", List.of(detailed, allow("x/${username}")));
        db.put("acme", Who.CLIENTID, "dev-1", List.of(deny("y")));
        db.putAll("acme", List.of(allow("z")));
        assertTrue(Files.exists(dir.resolve("acme.json")));

        AclDatabase again = new AclDatabase(dir);
        again.attach("acme", 3, owner);
        assertEquals(List.of(new Subject("alice", List.of(detailed, allow("x/${username}")))),
                again.list("acme", Who.USERNAME));
        assertEquals(List.of(deny("y")), again.get("acme", Who.CLIENTID, "dev-1").orElseThrow());
        assertEquals(List.of(allow("z")), again.all("acme"));
        assertEquals(DENY, again.decide("acme", client("c", "alice"), PUBLISH, "a/#", 2, true));
    }

    @Test
    public void deleteAndPurgeRemoveRules() {
        db.put("acme", Who.USERNAME, "alice", List.of(allow("a")));
        db.put("acme", Who.CLIENTID, "dev-1", List.of(allow("a")));
        db.putAll("acme", List.of(allow("a")));
        assertTrue(db.delete("acme", Who.USERNAME, "alice"));
        assertFalse(db.delete("acme", Who.USERNAME, "alice"));
        db.purge("acme");
        assertEquals(List.of(), db.list("acme", Who.CLIENTID));
        assertEquals(List.of(), db.all("acme"));
        assertEquals(IGNORE, pub("dev-1", "alice", "a"));
        AclDatabase again = new AclDatabase(dir);
        again.attach("acme", 3, owner);
        assertEquals("the purge reached the file", List.of(), again.list("acme", Who.USERNAME));
    }

    @Test
    public void tenantsAreApartAndATenantThatDidNotEnableItIsRefused() {
        db.putAll("acme", List.of(allow("#")));
        db.attach("beta", 100, owner);
        assertEquals(List.of(), db.all("beta"));
        assertEquals(IGNORE, db.decide("beta", client("c", "u"), PUBLISH, "t", 0, false));
        assertThrows(IllegalStateException.class, () -> db.all("gamma"));
        assertFalse(db.enabled("gamma"));
        assertEquals(IGNORE, db.decide("gamma", client("c", "u"), PUBLISH, "t", 0, false));
        db.detach("beta", new Object());
        assertTrue("a detach by an older instance is ignored", db.enabled("beta"));
        db.detach("beta", owner);
        assertFalse(db.enabled("beta"));
        assertThrows(IllegalArgumentException.class, () -> db.attach("../etc", 1, owner));
    }
}
