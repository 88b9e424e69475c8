package io.aviary.pluginmanager;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

/** A plugin instance's config is checked against the plugin's JSON Schema; a failure names the field. */
public class ConfigValidatorTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"url\"],\"additionalProperties\":false,"
            + "\"properties\":{\"url\":{\"type\":\"string\",\"minLength\":1},"
            + "\"retry\":{\"type\":\"object\",\"properties\":{\"max\":{\"type\":\"integer\",\"minimum\":0}}}}}";

    private final ConfigValidator validator = new ConfigValidator();

    private void assertRefusedNaming(String field, Map<String, Object> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> validator.check("http-auth", SCHEMA, config));
        assertTrue(e.getMessage(), e.getMessage().startsWith("field '" + field + "'"));
    }

    @Test
    public void aValidConfigPasses() {
        validator.check("http-auth", SCHEMA, Map.of("url", "http://a", "retry", Map.of("max", 3L)));
        validator.check("no-schema", null, Map.of("anything", 1L));
    }

    @Test
    public void aMissingRequiredFieldIsNamed() {
        assertRefusedNaming("config.url", Map.of());
    }

    @Test
    public void aNestedFieldOfTheWrongTypeIsNamedWithItsPath() {
        assertRefusedNaming("config.retry.max", Map.of("url", "http://a", "retry", Map.of("max", "three")));
        assertRefusedNaming("config.retry.max", Map.of("url", "http://a", "retry", Map.of("max", -1L)));
    }

    @Test
    public void anUnknownFieldIsRefusedWhenTheSchemaClosesTheObject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> validator.check("http-auth", SCHEMA, Map.of("url", "u", "colour", "red")));
        assertTrue(e.getMessage(), e.getMessage().contains("colour"));
    }

    @Test
    public void anUnusableSchemaIsReportedAgainstThePlugin() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> validator.check("broken", "{not json", Map.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("plugin 'broken'"));
    }
}
