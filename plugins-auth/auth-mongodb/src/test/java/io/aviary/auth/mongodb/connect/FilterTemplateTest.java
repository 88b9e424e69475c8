package io.aviary.auth.mongodb.connect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.Test;

public class FilterTemplateTest {

    private static BsonDocument render(String filter, Map<String, String> values) {
        return FilterTemplate.parse(filter).render(values);
    }

    @Test
    public void theDefaultFilterBindsTheUserNameAsAStringValue() {
        assertEquals(new BsonDocument("username", new BsonString("alice")),
                render(FilterTemplate.DEFAULT, Map.of("username", "alice")));
    }

    @Test
    public void operatorsInUserNamesAndClientIdsStayStrings() {
        for (String hostile : List.of("{\"$ne\": null}", "{\"$where\": \"sleep(5000) || true\"}", "$where",
                "{\"$gt\": \"\"}", "$gt", "\", \"$or\": [{}], \"x\": \"", "' OR '1'='1", "${clientid}")) {
            BsonDocument q = render("{\"username\": \"${username}\", \"clientid\": \"${clientid}\"}",
                    Map.of("username", hostile, "clientid", hostile));
            assertEquals(hostile, 2, q.size());
            assertEquals(hostile, new BsonString(hostile), q.get("username"));
            assertEquals(hostile, new BsonString(hostile), q.get("clientid"));
        }
    }

    @Test
    public void placeholdersAreBoundInsideTextNestedDocumentsAndArraysAndOtherValuesAreKept() {
        BsonDocument q = render("{\"$or\": [{\"username\": \"${username}\"}, {\"clientid\": \"dev-${clientid}\"}],"
                + " \"enabled\": 1, \"note\": \"no placeholder\"}", Map.of("username", "u{$}", "clientid", "c1"));
        BsonArray or = q.getArray("$or");
        assertEquals(new BsonString("u{$}"), or.get(0).asDocument().get("username"));
        assertEquals(new BsonString("dev-c1"), or.get(1).asDocument().get("clientid"));
        assertEquals(new BsonInt32(1), q.get("enabled"));
        assertEquals(new BsonString("no placeholder"), q.get("note"));
    }

    @Test
    public void aMissingValueRendersEmptyAndAnUnknownPlaceholderStaysAsWritten() {
        BsonDocument q = render("{\"username\": \"${username}\", \"cn\": \"${cert_common_name}\", \"x\": \"${nope}\"}",
                Map.of());
        assertEquals(new BsonString(""), q.get("username"));
        assertEquals(new BsonString(""), q.get("cn"));
        assertEquals(new BsonString("${nope}"), q.get("x"));
    }

    @Test
    public void renderingLeavesTheTemplateUnchanged() {
        FilterTemplate t = FilterTemplate.parse("{\"a\": {\"b\": [\"${username}\"]}}");
        t.render(Map.of("username", "one"));
        assertEquals(new BsonString("two"), t.render(Map.of("username", "two")).getDocument("a").getArray("b").get(0));
    }

    @Test
    public void aFilterThatIsNotAJsonDocumentIsRefusedNamingTheField() {
        for (String bad : List.of("username = \"${username}\"", "{\"username\": ", "[1, 2]", "")) {
            IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class, () -> FilterTemplate.parse(bad));
            assertTrue(e.getMessage(), e.getMessage().startsWith("filter: "));
        }
    }

    @Test
    public void aPlaceholderInAKeyOrInsideCodeOrPatternOperatorsIsRefused() {
        for (String bad : List.of("{\"${username}\": 1}", "{\"$where\": \"this.username == '${username}'\"}",
                "{\"username\": {\"$regex\": \"^${username}$\"}}", "{\"$expr\": {\"$eq\": [\"$username\", \"${username}\"]}}")) {
            IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class, () -> FilterTemplate.parse(bad));
            assertTrue(e.getMessage(), e.getMessage().startsWith("filter: "));
        }
        // the same operators without placeholders are the operator's own business
        FilterTemplate.parse("{\"username\": \"${username}\", \"group\": {\"$regex\": \"^ops\"}}");
    }
}
