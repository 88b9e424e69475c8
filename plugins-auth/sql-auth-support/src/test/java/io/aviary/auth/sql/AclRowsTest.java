package io.aviary.auth.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class AclRowsTest {
    private static final ClientInfo ALICE = new ClientInfo("t", "dev-1", "alice", new InetSocketAddress("127.0.0.1", 1),
            "mqtt", 5, "tcp:default", null, null, Map.of());

    private static Map<String, Object> row(Object permission, Object action, Object topic, Object qos, Object retain) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("permission", permission);
        r.put("action", action);
        r.put("topic", topic);
        if (qos != null) {
            r.put("qos", qos);
        }
        if (retain != null) {
            r.put("retain", retain);
        }
        return r;
    }

    private static Decision decide(List<Map<String, Object>> rows, Action action, String topic, int qos, boolean retain) {
        return AclRows.of(rows).acl().decide(ALICE, action, topic, qos, retain);
    }

    @Test
    public void theFirstMatchingRowDecidesAndNoMatchIgnores() {
        List<Map<String, Object>> rows = List.of(
                row("deny", "publish", "users/${username}/secret", null, null),
                row("allow", "all", "users/${username}/#", null, null),
                row("deny", "all", "#", null, null));
        assertEquals(Decision.DENY, decide(rows, Action.PUBLISH, "users/alice/secret", 0, false));
        assertEquals(Decision.ALLOW, decide(rows, Action.SUBSCRIBE, "users/alice/secret", 0, false));
        assertEquals(Decision.ALLOW, decide(rows, Action.PUBLISH, "users/alice/x", 1, false));
        assertEquals(Decision.DENY, decide(rows, Action.PUBLISH, "users/bob/x", 1, false));
        assertEquals(Decision.IGNORE, decide(rows.subList(0, 2), Action.PUBLISH, "users/bob/x", 1, false));
        assertEquals(Decision.IGNORE, decide(List.of(), Action.PUBLISH, "users/bob/x", 1, false));
    }

    @Test
    public void clientIdPlaceholderAndExactMatchRows() {
        List<Map<String, Object>> rows = List.of(row("allow", "subscribe", "eq devices/#", null, null),
                row("allow", "publish", "devices/${clientid}/up", null, null));
        assertEquals(Decision.ALLOW, decide(rows, Action.SUBSCRIBE, "devices/#", 0, false));
        assertEquals(Decision.IGNORE, decide(rows, Action.SUBSCRIBE, "devices/x", 0, false));
        assertEquals(Decision.ALLOW, decide(rows, Action.PUBLISH, "devices/dev-1/up", 0, false));
        assertEquals(Decision.IGNORE, decide(rows, Action.PUBLISH, "devices/dev-2/up", 0, false));
    }

    @Test
    public void qosAsANumberOrAListAndRetainAsZeroOneOrABooleanNarrowARow() {
        List<Map<String, Object>> rows = List.of(row("deny", "publish", "t/#", "1,2", null),
                row("deny", "publish", "r/#", null, 1), row("allow", "publish", "#", 0, "false"));
        assertEquals(Decision.DENY, decide(rows, Action.PUBLISH, "t/x", 2, false));
        assertEquals(Decision.ALLOW, decide(rows, Action.PUBLISH, "t/x", 0, false));
        assertEquals(Decision.DENY, decide(rows, Action.PUBLISH, "r/x", 0, true));
        assertEquals(Decision.ALLOW, decide(rows, Action.PUBLISH, "r/x", 0, false));
        assertEquals("retain false row: a retained message does not match", Decision.IGNORE,
                decide(rows, Action.PUBLISH, "x", 0, true));
        assertEquals(Decision.IGNORE, decide(rows, Action.PUBLISH, "x", 1, false));
    }

    @Test
    public void valuesReadAsTheDriversHandThemOver() {
        Map<String, Object> r = row("ALLOW".getBytes(), "Publish", "a/b".getBytes(), (byte) 1, Boolean.TRUE);
        assertEquals(Decision.ALLOW, decide(List.of(r), Action.PUBLISH, "a/b", 1, true));
        assertEquals(Decision.IGNORE, decide(List.of(r), Action.PUBLISH, "a/b", 1, false));
    }

    @Test
    public void aBadRowIsSkippedAndReportedWithoutHidingTheOthers() {
        Map<String, Object> noTopic = new HashMap<>(row("deny", "all", null, null, null));
        AclRows.Rules rules = AclRows.of(List.of(row("maybe", "publish", "a", null, null), noTopic,
                row("deny", "publish", "a", "3", null), row("deny", "publish", "a", null, "yes"),
                row("allow", "publish", "a", null, null)));
        assertEquals(List.of("row 1: acl: permission must be allow or deny", "row 2: no topic value",
                "row 3: qos must be 0, 1, 2 or a list such as 0,1, was 3", "row 4: retain must be 0, 1, true or false, was yes"),
                rules.skipped());
        assertEquals(Decision.ALLOW, rules.acl().decide(ALICE, Action.PUBLISH, "a", 0, false));
        assertTrue(AclRows.of(List.of(Map.of("permission", "allow"))).skipped().get(0).contains("no action column"));
    }
}
