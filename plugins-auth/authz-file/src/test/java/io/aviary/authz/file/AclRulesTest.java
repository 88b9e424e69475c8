package io.aviary.authz.file;

import static io.aviary.api.auth.Action.PUBLISH;
import static io.aviary.api.auth.Action.SUBSCRIBE;
import static io.aviary.api.auth.Decision.ALLOW;
import static io.aviary.api.auth.Decision.DENY;
import static io.aviary.api.auth.Decision.IGNORE;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.api.client.ClientInfo;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** EMQX acl.conf rules: the syntax EMQX ships, first match wins, and each part of a rule. */
public class AclRulesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** EMQX 5's shipped etc/acl.conf, verbatim. */
    static final String EMQX_DEFAULT = """
            %%--------------------------------------------------------------------
            %% -type(ipaddr() :: {ipaddr, string()}).
            %% -type(who() :: ipaddr() | username() | clientid() | {'and', [ipaddr() | username() | clientid()]} | all).
            {allow, {username, {re, "^dashboard$"}}, subscribe, ["$SYS/#"]}.

            {allow, {ipaddr, "127.0.0.1"}, all, ["$SYS/#", "#"]}.

            {deny, all, subscribe, ["$SYS/#", {eq, "#"}, {eq, "+/#"}]}.

            {allow, all}.
            %% NOTE! when deploy in production:
            %% - Change the last rule to `{deny, all}.`
            """;

    private static ClientInfo client(String clientId, String username, String ip) {
        return new ClientInfo("acme", clientId, username, new InetSocketAddress(ip, 1883), "mqtt", 5, "tcp:default",
                null, null, null);
    }

    private static final ClientInfo ALICE = client("c1", "alice", "10.1.2.3");

    @Test
    public void emqxsShippedAclConfWorksUnchanged() {
        AclRules rules = AclRules.parse(EMQX_DEFAULT);
        assertEquals(4, rules.size());
        assertEquals(ALLOW, rules.decide(client("d", "dashboard", "10.0.0.9"), SUBSCRIBE, "$SYS/brokers", 0, false));
        assertEquals(DENY, rules.decide(ALICE, SUBSCRIBE, "$SYS/brokers", 0, false));
        assertEquals(DENY, rules.decide(ALICE, SUBSCRIBE, "#", 0, false));
        assertEquals(ALLOW, rules.decide(client("l", "x", "127.0.0.1"), SUBSCRIBE, "#", 0, false));
        assertEquals(ALLOW, rules.decide(ALICE, SUBSCRIBE, "a/#", 0, false));
        assertEquals(ALLOW, rules.decide(ALICE, PUBLISH, "a/b", 1, true));
    }

    @Test
    public void theFirstMatchingRuleWinsAndNoMatchIsIgnore() {
        AclRules rules = AclRules.parse("""
                {deny, all, publish, ["secret/#"]}.
                {allow, {username, "alice"}, publish, ["secret/alice", "public/#"]}.
                """);
        assertEquals(DENY, rules.decide(ALICE, PUBLISH, "secret/alice", 0, false));
        assertEquals(ALLOW, rules.decide(ALICE, PUBLISH, "public/x/y", 0, false));
        assertEquals(IGNORE, rules.decide(ALICE, SUBSCRIBE, "public/x", 0, false));
        assertEquals(IGNORE, rules.decide(client("c2", "bob", "10.1.2.3"), PUBLISH, "public/x", 0, false));
    }

    @Test
    public void placeholdersConfineEachDeviceToItsOwnTopics() {
        AclRules rules = AclRules.parse("""
                {allow, all, all, ["users/${username}/#", "devices/${clientid}"]}.
                {deny, all}.
                """);
        assertEquals(ALLOW, rules.decide(ALICE, PUBLISH, "users/alice/x", 0, false));
        assertEquals(ALLOW, rules.decide(ALICE, SUBSCRIBE, "users/alice/#", 0, false));
        assertEquals(ALLOW, rules.decide(ALICE, PUBLISH, "devices/c1", 0, false));
        assertEquals(DENY, rules.decide(ALICE, PUBLISH, "users/bob/x", 0, false));
        assertEquals(DENY, rules.decide(ALICE, SUBSCRIBE, "users/+/x", 0, false));
        // a wildcard or separator in a name never widens the rule
        assertEquals(DENY, rules.decide(client("c", "+", "10.1.2.3"), PUBLISH, "users/bob/x", 0, false));
        assertEquals(DENY, rules.decide(client("c", "#", "10.1.2.3"), SUBSCRIBE, "users/#", 0, false));
        assertEquals(DENY, rules.decide(client("a/b", null, "10.1.2.3"), PUBLISH, "devices/a/b", 0, false));
        assertEquals("no user name: the ${username} topic matches nothing", DENY,
                rules.decide(client("c", null, "10.1.2.3"), PUBLISH, "users//x", 0, false));
    }

    @Test
    public void eqMatchesTheFilterLiterally() {
        AclRules rules = AclRules.parse("{deny, all, subscribe, [{eq, \"a/#\"}]}. {allow, all, subscribe, [\"a/#\"]}.");
        assertEquals(DENY, rules.decide(ALICE, SUBSCRIBE, "a/#", 0, false));
        assertEquals(ALLOW, rules.decide(ALICE, SUBSCRIBE, "a/b", 0, false));
    }

    @Test
    public void aRequestedWildcardNeedsTheSameWildcardInTheRule() {
        AclRules rules = AclRules.parse("{allow, all, subscribe, [\"a/+\"]}.");
        assertEquals(ALLOW, rules.decide(ALICE, SUBSCRIBE, "a/+", 0, false));
        assertEquals(ALLOW, rules.decide(ALICE, SUBSCRIBE, "a/b", 0, false));
        assertEquals(IGNORE, rules.decide(ALICE, SUBSCRIBE, "a/#", 0, false));
        assertEquals(IGNORE, rules.decide(ALICE, SUBSCRIBE, "a/b/c", 0, false));
    }

    @Test
    public void qosAndRetainLimitARule() {
        AclRules rules = AclRules.parse("""
                {deny, all, {publish, [{retain, true}]}, ["#"]}.
                {allow, all, {publish, [{qos, [0, 1]}]}, ["#"]}.
                {allow, all, {subscribe, [{qos, 0}]}, ["#"]}.
                """);
        assertEquals(DENY, rules.decide(ALICE, PUBLISH, "t", 0, true));
        assertEquals(ALLOW, rules.decide(ALICE, PUBLISH, "t", 1, false));
        assertEquals(IGNORE, rules.decide(ALICE, PUBLISH, "t", 2, false));
        assertEquals(ALLOW, rules.decide(ALICE, SUBSCRIBE, "t", 0, false));
        assertEquals(IGNORE, rules.decide(ALICE, SUBSCRIBE, "t", 1, false));
    }

    @Test
    public void whoMatchesAddressesBlocksAndCombinations() {
        AclRules rules = AclRules.parse("""
                {allow, {'and', [{ipaddrs, ["192.168.0.0/16", "10.1.0.0/16"]}, {clientid, {re, "^sensor-[0-9]+$"}}]}, publish, ["t"]}.
                {allow, {'or', [{user, "alice"}, {client, "admin"}]}, publish, ["u"]}.
                """);
        assertEquals(ALLOW, rules.decide(client("sensor-7", null, "10.1.9.9"), PUBLISH, "t", 0, false));
        assertEquals(IGNORE, rules.decide(client("sensor-7", null, "10.2.9.9"), PUBLISH, "t", 0, false));
        assertEquals(IGNORE, rules.decide(client("sensor-x", null, "10.1.9.9"), PUBLISH, "t", 0, false));
        assertEquals(ALLOW, rules.decide(ALICE, PUBLISH, "u", 0, false));
        assertEquals(ALLOW, rules.decide(client("admin", null, "1.1.1.1"), PUBLISH, "u", 0, false));
        assertEquals(IGNORE, rules.decide(client("x", "bob", "1.1.1.1"), PUBLISH, "u", 0, false));
    }

    @Test
    public void wildcardsAtTheFirstLevelDoNotReachSysTopics() {
        AclRules rules = AclRules.parse("{allow, all, subscribe, [\"#\", \"+/x\"]}.");
        assertEquals(IGNORE, rules.decide(ALICE, SUBSCRIBE, "$SYS/x", 0, false));
        assertEquals(ALLOW, rules.decide(ALICE, SUBSCRIBE, "any/x", 0, false));
    }

    @Test
    public void anErrorNamesItsLineAndRefusesTheFile() {
        String[] broken = {"{allow, all}.\n{permit, all}.", "{allow, all}.\n{allow, all, publish, [\"a/#/b\"]}.",
            "{allow, all}.\n{allow, {ipaddr, \"example.com\"}, all, [\"#\"]}.", "{allow, all}.\n{allow, all, publish, []}.",
            "{allow, all}.\n{allow, all", "{allow, all}.\n{allow, {username, \"x\"}, publish, [\"t\"]}"};
        for (String text : broken) {
            IllegalArgumentException e = assertThrows(text, IllegalArgumentException.class, () -> AclRules.parse(text));
            assertTrue(text + " -> " + e.getMessage(), e.getMessage().startsWith("line 2: "));
        }
    }

    @Test
    public void aRuleFileIsReloadedWhenItChangesAndABadEditKeepsTheOldRules() throws Exception {
        Path file = tmp.newFile("acl.conf").toPath();
        Files.writeString(file, "{deny, all, publish, [\"t\"]}.", StandardCharsets.UTF_8);
        FileAuthorizer authorizer = new FileAuthorizer("acme", null, file);
        assertEquals(DENY, authorizer.authorize(ALICE, PUBLISH, "t", 0, false).toCompletableFuture().join());

        Files.writeString(file, "{allow, all, publish, [\"t\"]}.", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        authorizer.reload();
        assertEquals(ALLOW, authorizer.authorize(ALICE, PUBLISH, "t", 0, false).toCompletableFuture().join());

        Files.writeString(file, "{allow, all, publish, [\"t\"]", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        authorizer.reload();
        assertEquals(ALLOW, authorizer.authorize(ALICE, PUBLISH, "t", 0, false).toCompletableFuture().join());
    }
}
