package io.aviary.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.aviary.api.rules.SqlTemplate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class TemplateServiceTest {

    private final TemplateService templates = new TemplateService();
    private final Map<String, Object> record = Map.of("clientid", "c1", "qos", 1L,
            "payload", "{\"temp\":21.5,\"tags\":[\"a\"]}", "topic", "t/1");

    @Test
    public void sqlPlaceholdersBecomeBoundParametersInOrder() {
        SqlTemplate sql = templates.sql("insert into t(c, q, temp) values (${clientid}, ${qos}, ${payload.temp})");
        assertEquals("insert into t(c, q, temp) values (?, ?, ?)", sql.statement());
        assertEquals(List.of("c1", 1L, 21.5), sql.parameters(record));
    }

    @Test
    public void quotedPlaceholdersAreParametersTooNeverSplicedText() {
        SqlTemplate sql = templates.sql("insert into t(c, p) values ('${clientid}', '${payload}')");
        assertEquals("insert into t(c, p) values (?, ?)", sql.statement());
        Map<String, Object> hostile = Map.of("clientid", "x'); drop table t; --", "payload", "p");
        assertEquals("x'); drop table t; --", sql.parameters(hostile).get(0));
    }

    @Test
    public void missingFieldsAreSqlNullAndContainersJson() {
        SqlTemplate sql = templates.sql("insert into t values (${nope}, ${payload.tags})");
        assertEquals(Arrays.asList(null, "[\"a\"]"), sql.parameters(record));
    }

    @Test
    public void aSinglePlaceholderTextTemplateKeepsTheValueType() {
        assertEquals(1L, templates.text("${qos}").value(record));
        assertEquals("t/1 from c1", templates.text("${topic} from ${clientid}").value(record));
        assertNull(templates.text("${missing}").value(record));
        assertEquals("undefined", templates.text("${missing}").render(record));
    }
}
