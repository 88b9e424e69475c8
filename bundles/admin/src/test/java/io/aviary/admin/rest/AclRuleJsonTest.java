package io.aviary.admin.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonParser;
import io.aviary.admin.error.ApiException;
import io.aviary.api.auth.AclRuleStore.Rule;
import io.aviary.api.auth.AclRuleStore.RuleAction;
import io.aviary.api.auth.Decision;
import java.util.List;
import org.junit.Test;

/** EMQX 5's rule items as the built-in database's endpoints read and write them. */
public class AclRuleJsonTest {

    private static List<Rule> read(String json) {
        return AclRuleJson.rules(JsonParser.parseString(json), "rules");
    }

    private static String refusal(String json) {
        ApiException e = assertThrows(ApiException.class, () -> read(json));
        assertEquals(400, e.status());
        return e.getMessage();
    }

    @Test
    public void readsEmqxsRuleShapesWithItsDefaults() {
        List<Rule> rules = read("""
                [{"topic": "t/1", "permission": "allow", "action": "publish"},
                 {"topic": "eq t/#", "permission": "deny", "action": "all", "qos": ["1"], "retain": "true"},
                 {"topic": "u/${username}/#", "permission": "allow", "action": "subscribe", "qos": "0,2", "retain": "all"},
                 {"topic": "c/${clientid}", "permission": "allow", "action": "publish", "qos": 1, "retain": 0}]""");
        assertEquals(new Rule("t/1", Decision.ALLOW, RuleAction.PUBLISH, List.of(0, 1, 2), null), rules.get(0));
        assertEquals(new Rule("eq t/#", Decision.DENY, RuleAction.ALL, List.of(1), true), rules.get(1));
        assertEquals(new Rule("u/${username}/#", Decision.ALLOW, RuleAction.SUBSCRIBE, List.of(0, 2), null), rules.get(2));
        assertEquals(new Rule("c/${clientid}", Decision.ALLOW, RuleAction.PUBLISH, List.of(1), false), rules.get(3));
    }

    @Test
    public void writesQosAsAListAndRetainAsTrueFalseOrAll() {
        assertEquals(JsonParser.parseString("""
                [{"topic":"t","permission":"deny","action":"all","qos":[0,1,2],"retain":"all"},
                 {"topic":"t","permission":"allow","action":"publish","qos":[2],"retain":false}]"""),
                AclRuleJson.toJson(List.of(new Rule("t", Decision.DENY, RuleAction.ALL, null, null),
                        new Rule("t", Decision.ALLOW, RuleAction.PUBLISH, List.of(2), false))));
    }

    @Test
    public void aBadRuleIsRefusedNamingItsField() {
        assertTrue(refusal("{}").contains("'rules' must be an array"));
        assertTrue(refusal("[\"t\"]").contains("'rules[0]' must be a rule object"));
        assertTrue(refusal("[{\"permission\":\"allow\",\"action\":\"all\"}]").contains("'rules[0].topic' is required"));
        assertTrue(refusal("[{\"topic\":\"t\",\"permission\":\"maybe\",\"action\":\"all\"}]")
                .contains("'rules[0].permission'"));
        assertTrue(refusal("[{\"topic\":\"t\",\"permission\":\"allow\",\"action\":\"all\"},"
                + "{\"topic\":\"t\",\"permission\":\"allow\",\"action\":\"pubsub\"}]").contains("'rules[1].action'"));
        assertTrue(refusal("[{\"topic\":\"t\",\"permission\":\"allow\",\"action\":\"all\",\"qos\":3}]")
                .contains("'rules[0].qos'"));
        assertTrue(refusal("[{\"topic\":\"t\",\"permission\":\"allow\",\"action\":\"all\",\"qos\":[]}]")
                .contains("'rules[0].qos'"));
        assertTrue(refusal("[{\"topic\":\"t\",\"permission\":\"allow\",\"action\":\"all\",\"retain\":\"maybe\"}]")
                .contains("'rules[0].retain'"));
        assertTrue(refusal("[{\"topic\":\"a/#/b\",\"permission\":\"allow\",\"action\":\"all\"}]")
                .contains("'rules[0].topic' may use '#' only as the whole last level"));
        assertTrue(refusal("[{\"topic\":\"\",\"permission\":\"allow\",\"action\":\"all\"}]").contains("'rules[0].topic'"));
        assertTrue(refusal("[{\"topic\":\"t/${peerhost}\",\"permission\":\"allow\",\"action\":\"all\"}]")
                .contains("unknown placeholder ${peerhost}"));
        assertTrue(refusal("[{\"topic\":\"t\",\"permission\":\"allow\",\"action\":\"all\",\"username_re\":\"^a\"}]")
                .contains("'rules[0].username_re' is not a rule field"));
    }
}
