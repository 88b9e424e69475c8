package io.aviary.storage.pgsql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.aviary.api.integration.Connector;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The type's schemas accept EMQX 5's documented examples and refuse what would not work, naming
 * the field; opening a connector never waits for the server; an unusable template is refused
 * when the action is created.
 */
public class PgsqlConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Error> validate(String schema, String json) throws Exception {
        Schema s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
        return s.validate(JSON.readTree(json));
    }

    @Test
    public void emqxsConnectorAndActionExamplesAreAccepted() throws Exception {
        PgsqlConnectorType type = new PgsqlConnectorType();
        assertEquals(List.of(), validate(type.connectorSchema(), "{\"server\":\"127.0.0.1:5432\",\"database\":\"test\","
                + "\"pool_size\":8,\"username\":\"root\",\"password\":\"public\",\"application_name\":\"emqx\","
                + "\"disable_prepared_statements\":false,\"ssl\":{\"enable\":false}}"));
        assertEquals(List.of(), validate(type.actionSchema(), "{\"sql\":\"insert into t_mqtt_msg(msgid, topic, qos, payload, arrived) "
                + "values (${id}, ${topic}, ${qos}, ${payload}, TO_TIMESTAMP((${timestamp} :: bigint)/1000))\",\"undefined_vars_as_null\":false}"));
        assertNull("no sources", type.sourceSchema());
    }

    @Test
    public void theSchemasRefuseWhatCannotWork() throws Exception {
        PgsqlConnectorType type = new PgsqlConnectorType();
        assertEquals("required", validate(type.connectorSchema(), "{\"server\":\"h\"}").get(0).getKeyword());
        assertEquals("minimum", validate(type.connectorSchema(), "{\"server\":\"h\",\"database\":\"d\",\"username\":\"u\",\"pool_size\":0}").get(0).getKeyword());
        assertEquals("additionalProperties", validate(type.connectorSchema(), "{\"server\":\"h\",\"database\":\"d\",\"username\":\"u\",\"sever\":\"x\"}").get(0).getKeyword());
        assertEquals("required", validate(type.actionSchema(), "{}").get(0).getKeyword());
    }

    @Test
    public void openingAConnectorNeverWaitsForTheServer() throws Exception {
        long start = System.nanoTime();
        try (Connector c = new PgsqlConnectorType().open(PostgresServer.context("pgsql:lazy"),
                Map.of("server", "192.0.2.1:5432", "database", "d", "username", "u"))) { // TEST-NET-1: never answers
            assertTrue("open took " + (System.nanoTime() - start) / 1_000_000 + " ms", System.nanoTime() - start < 1_000_000_000L);
        }
    }

    @Test
    public void anUnusableTemplateIsRefusedNamingTheField() {
        try (Connector c = new PgsqlConnectorType().open(PostgresServer.context("pgsql:t"), Map.of("server", "192.0.2.1", "database", "d", "username", "u"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.sink("pgsql:a", Map.of("sql", "insert into t(a) values (${})")));
            assertTrue(e.getMessage(), e.getMessage().startsWith("parameters.sql: "));
            e = assertThrows(IllegalArgumentException.class, () -> c.sink("pgsql:a", Map.of()));
            assertTrue(e.getMessage(), e.getMessage().startsWith("parameters.sql: "));
        }
    }
}
