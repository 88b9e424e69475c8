package io.aviary.authz.mongodb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.jwt.acl.AclClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.Test;

public class AclDocumentsTest {
    private static final ClientInfo DEV = new ClientInfo("acme", "dev-1", "alice", null, "mqtt", 5, "tcp:default", null,
            null, Map.of());

    private static AclClaim rules(List<String> skipped, String... docs) {
        List<BsonDocument> list = new ArrayList<>();
        for (String d : docs) {
            list.add(BsonDocument.parse(d));
        }
        return AclDocuments.rules(list, skipped::add);
    }

    @Test
    public void emqxsDocumentedRuleDeniesOnlyThatQosAndTheFirstMatchWins() {
        AclClaim acl = rules(new ArrayList<>(),
                "{\"username\": \"alice\", \"permission\": \"deny\", \"action\": \"publish\", \"qos\": 1, \"topics\": [\"t/1\"]}",
                "{\"username\": \"alice\", \"permission\": \"allow\", \"action\": \"all\", \"topics\": [\"t/#\"]}");
        assertEquals(Decision.DENY, acl.decide(DEV, Action.PUBLISH, "t/1", 1, false));
        assertEquals(Decision.ALLOW, acl.decide(DEV, Action.PUBLISH, "t/1", 0, false));
        assertEquals(Decision.ALLOW, acl.decide(DEV, Action.SUBSCRIBE, "t/1", 1, false));
        assertEquals(Decision.IGNORE, acl.decide(DEV, Action.PUBLISH, "other", 0, false));
    }

    @Test
    public void topicPlaceholdersRetainAsZeroOrOneAndASingleTopicField() {
        AclClaim acl = rules(new ArrayList<>(),
                "{\"permission\": \"deny\", \"action\": \"publish\", \"retain\": 1, \"topic\": \"up/${clientid}\"}",
                "{\"permission\": \"allow\", \"action\": \"publish\", \"qos\": [0, 1], \"topics\": [\"up/${clientid}\", \"u/${username}/#\"]}");
        assertEquals(Decision.DENY, acl.decide(DEV, Action.PUBLISH, "up/dev-1", 0, true));
        assertEquals(Decision.ALLOW, acl.decide(DEV, Action.PUBLISH, "up/dev-1", 1, false));
        assertEquals(Decision.IGNORE, acl.decide(DEV, Action.PUBLISH, "up/dev-1", 2, false));
        assertEquals(Decision.ALLOW, acl.decide(DEV, Action.PUBLISH, "u/alice/x", 0, false));
        assertEquals(Decision.IGNORE, acl.decide(DEV, Action.PUBLISH, "up/dev-2", 0, false));
    }

    @Test
    public void documentsThatAreNotRulesAreSkippedAndReported() {
        List<String> skipped = new ArrayList<>();
        AclClaim acl = rules(skipped,
                "{\"_id\": \"a\", \"permission\": \"maybe\", \"action\": \"all\", \"topics\": [\"#\"]}",
                "{\"_id\": \"b\", \"permission\": \"allow\", \"action\": \"all\"}",
                "{\"_id\": \"c\", \"permission\": \"allow\", \"action\": \"all\", \"qos\": 3, \"topics\": [\"#\"]}",
                "{\"_id\": \"d\", \"permission\": \"allow\", \"action\": \"all\", \"topics\": [{\"$ne\": 1}]}",
                "{\"_id\": \"e\", \"permission\": \"allow\", \"action\": \"subscribe\", \"topics\": [\"ok/#\"]}");
        assertEquals(skipped.toString(), 4, skipped.size());
        assertTrue(skipped.get(0), skipped.get(0).contains("\"a\""));
        assertEquals(Decision.IGNORE, acl.decide(DEV, Action.SUBSCRIBE, "x", 0, false));
        assertEquals(Decision.ALLOW, acl.decide(DEV, Action.SUBSCRIBE, "ok/1", 0, false));
    }
}
