package io.aviary.auth.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class QueryTemplateTest {

    private static String refusal(String query, boolean mysql) {
        return assertThrows(IllegalArgumentException.class, () -> QueryTemplate.compile(query, mysql)).getMessage();
    }

    @Test
    public void emqxsDefaultQueryBecomesAPreparedStatementWithTheUsernameAsItsParameter() {
        QueryTemplate t = QueryTemplate.compile(
                "SELECT password_hash, salt, is_superuser FROM mqtt_user WHERE username = ${username} LIMIT 1", true);
        assertEquals("SELECT password_hash, salt, is_superuser FROM mqtt_user WHERE username = ? LIMIT 1", t.sql());
        assertEquals(List.of("username"), t.parameters());
    }

    @Test
    public void everyPlaceholderIsAParameterInTheOrderItIsWritten() {
        QueryTemplate t = QueryTemplate.compile("select permission, action, topic from mqtt_acl where "
                + "(username = ${username} or clientid = ${ clientid }) and ipaddr in (${peerhost}, '') "
                + "and site = ${client_attrs.site};", false);
        assertEquals("select permission, action, topic from mqtt_acl where (username = ? or clientid = ?) "
                + "and ipaddr in (?, '') and site = ?", t.sql());
        assertEquals(List.of("username", "clientid", "peerhost", "client_attrs.site"), t.parameters());
    }

    @Test
    public void hostileValuesAreOnlyEverBoundNeverPartOfTheStatement() {
        QueryTemplate t = QueryTemplate.compile("SELECT 1 FROM u WHERE username = ${username} AND c = ${clientid}", true);
        Map<String, String> values = new HashMap<>();
        values.put("username", "' OR '1'='1");
        values.put("clientid", "x'); DROP TABLE u; --");
        assertEquals("SELECT 1 FROM u WHERE username = ? AND c = ?", t.sql());
        assertEquals(List.of("' OR '1'='1", "x'); DROP TABLE u; --"), t.bind(values));
    }

    @Test
    public void aPlaceholderWithoutAValueBindsNull() {
        QueryTemplate t = QueryTemplate.compile("SELECT 1 FROM u WHERE cn = ${cert_common_name}", true);
        assertEquals(Arrays.asList((String) null), t.bind(Map.of("username", "alice")));
    }

    @Test
    public void placeholderLookalikesInQuotesAndCommentsAreLeftAloneUnlessTheyArePlaceholders() {
        QueryTemplate t = QueryTemplate.compile("SELECT 'it''s ?', \"col?\" FROM u /* why? */ WHERE a = ${username} "
                + "-- and b = ?\n AND c = 'x\\'?'", true);
        assertEquals(List.of("username"), t.parameters());
        assertTrue(t.sql(), t.sql().contains("'it''s ?'") && t.sql().contains("-- and b = ?\n"));
    }

    @Test
    public void aPlaceholderInsideQuotesIsRefusedBecauseItWouldBeLiteralText() {
        String m = refusal("SELECT 1 FROM u WHERE username = '${username}'", true);
        assertTrue(m, m.startsWith("query: write placeholders bare"));
        assertTrue(m, m.contains("'${username}'"));
    }

    @Test
    public void unknownPlaceholdersAreRefusedByName() {
        String m = refusal("SELECT 1 FROM u WHERE password = ${password}", false);
        assertTrue(m, m.startsWith("query: unknown placeholder ${password}"));
        assertTrue(refusal("SELECT 1 FROM u WHERE a = ${client_attrs.}", false).contains("unknown placeholder"));
    }

    @Test
    public void aQuestionMarkOfTheAuthorsOwnIsRefusedSinceItWouldShiftTheParameters() {
        assertTrue(refusal("SELECT 1 FROM u WHERE a = ? AND b = ${username}", true).startsWith("query: a ? of its own at character 27"));
    }

    @Test
    public void onlyOneStatementIsAccepted() {
        assertTrue(refusal("SELECT 1; DELETE FROM u", true).startsWith("query: one statement only"));
        assertEquals("SELECT 1", QueryTemplate.compile("SELECT 1 ;  ", true).sql());
    }

    @Test
    public void unclosedQuotesCommentsAndPlaceholdersAreRefusedWithWhere() {
        assertEquals("query: unclosed ' at character 27", refusal("SELECT 1 FROM u WHERE a = 'abc", true));
        assertTrue(refusal("SELECT 1 /* x", true).startsWith("query: unclosed comment"));
        assertTrue(refusal("SELECT 1 FROM u WHERE a = ${username", true).startsWith("query: unclosed placeholder"));
        assertEquals("query: is required", refusal("  ", true));
    }

    @Test
    public void backslashEscapesQuotesOnlyInMySql() {
        // MySQL: 'a\'${x}' is one string (the placeholder is inside it); PostgreSQL: 'a\' ends at the second quote
        assertTrue(refusal("SELECT 'a\\'${x}' FROM t", true).startsWith("query: write placeholders bare"));
        assertTrue(refusal("SELECT 'a\\'${x}' FROM t", false).contains("unknown placeholder ${x}"));
    }
}
