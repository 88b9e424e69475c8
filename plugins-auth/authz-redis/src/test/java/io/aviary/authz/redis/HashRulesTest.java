package io.aviary.authz.redis;

import static org.junit.Assert.assertEquals;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class HashRulesTest {
    private static final ClientInfo ALICE = new ClientInfo("acme", "dev-1", "alice",
            new InetSocketAddress("127.0.0.1", 40000), "mqtt", 5, "tcp:default", null, null, Map.of());

    private static Decision decide(Map<String, String> hash, Action action, String topic, int qos, boolean retain) {
        return HashRules.of(hash).acl().decide(ALICE, action, topic, qos, retain);
    }

    @Test
    public void anActionValueAllowsThatActionOnTheFieldsTopic() {
        Map<String, String> hash = Map.of("t/pub", "publish", "t/sub/#", "subscribe", "t/all", "all");
        assertEquals(Decision.ALLOW, decide(hash, Action.PUBLISH, "t/pub", 1, false));
        assertEquals(Decision.IGNORE, decide(hash, Action.SUBSCRIBE, "t/pub", 1, false));
        assertEquals(Decision.ALLOW, decide(hash, Action.SUBSCRIBE, "t/sub/a/b", 2, false));
        assertEquals(Decision.IGNORE, decide(hash, Action.PUBLISH, "t/sub/a", 0, false));
        assertEquals(Decision.ALLOW, decide(hash, Action.PUBLISH, "t/all", 0, true));
        assertEquals(Decision.ALLOW, decide(hash, Action.SUBSCRIBE, "t/all", 0, false));
        assertEquals("no match is ignore (the next source)", Decision.IGNORE, decide(hash, Action.PUBLISH, "other", 0, false));
        assertEquals(Decision.IGNORE, decide(Map.of(), Action.PUBLISH, "t/pub", 0, false));
    }

    @Test
    public void emqxsJsonValueLimitsQosAndRetain() {
        Map<String, String> hash = Map.of("t/2", "{ \"action\": \"subscribe\", \"qos\": [1, 2] }",
                "t/3", "{\"action\": \"publish\", \"retain\": false}", "t/4", "{\"action\":\"all\",\"qos\":0,\"retain\":\"all\"}");
        assertEquals(Decision.ALLOW, decide(hash, Action.SUBSCRIBE, "t/2", 1, false));
        assertEquals(Decision.IGNORE, decide(hash, Action.SUBSCRIBE, "t/2", 0, false));
        assertEquals(Decision.ALLOW, decide(hash, Action.PUBLISH, "t/3", 2, false));
        assertEquals(Decision.IGNORE, decide(hash, Action.PUBLISH, "t/3", 2, true));
        assertEquals(Decision.ALLOW, decide(hash, Action.PUBLISH, "t/4", 0, true));
        assertEquals(Decision.IGNORE, decide(hash, Action.PUBLISH, "t/4", 1, false));
    }

    @Test
    public void placeholdersAndExactMatchAsInEmqxTopics() {
        Map<String, String> hash = Map.of("users/${username}/#", "all", "dev/${clientid}", "publish", "eq all/#", "subscribe");
        assertEquals(Decision.ALLOW, decide(hash, Action.PUBLISH, "users/alice/x", 0, false));
        assertEquals(Decision.IGNORE, decide(hash, Action.PUBLISH, "users/bob/x", 0, false));
        assertEquals(Decision.ALLOW, decide(hash, Action.PUBLISH, "dev/dev-1", 0, false));
        assertEquals(Decision.ALLOW, decide(hash, Action.SUBSCRIBE, "all/#", 0, false));
        assertEquals(Decision.IGNORE, decide(hash, Action.SUBSCRIBE, "all/x", 0, false));
    }

    @Test
    public void valuesOfNeitherFormAreSkippedAndNamed() {
        Map<String, String> hash = new LinkedHashMap<>();
        hash.put("a", "write");
        hash.put("b", "{\"action\":\"delete\"}");
        hash.put("c", "{\"action\":\"publish\",\"qos\":[3]}");
        hash.put("d", "{\"action\":\"publish\",\"retain\":\"maybe\"}");
        hash.put("e", "[1]");
        hash.put("f", "{not json");
        hash.put("ok", "publish");
        HashRules.Parsed parsed = HashRules.of(hash);
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), parsed.skipped());
        assertEquals(Decision.ALLOW, parsed.acl().decide(ALICE, Action.PUBLISH, "ok", 0, false));
        assertEquals(Decision.IGNORE, parsed.acl().decide(ALICE, Action.PUBLISH, "a", 0, false));
    }

    @Test
    public void theCommandMustBeHgetallOfOneKey() {
        assertEquals("HGETALL", RulesCommand.parse(null).name());
        assertEquals(List.of("mqtt_acl:${username}"), RulesCommand.parse(null).template());
        for (String bad : List.of("HKEYS k", "KEYS mqtt_acl:*", "HGETALL", "HGETALL a b", "FLUSHDB")) {
            IllegalArgumentException e = org.junit.Assert.assertThrows(bad, IllegalArgumentException.class,
                    () -> new RedisAuthzCheck().check(Map.of("server", "127.0.0.1", "cmd", bad)));
            org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().startsWith("cmd: "));
        }
        new RedisAuthzCheck().check(Map.of("server", "127.0.0.1", "cmd", "hgetall acl:${clientid}"));
    }
}
