package io.aviary.api.plugin;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * JSON Schema validation as a service (the plugin manager's networknt validator), so every
 * bundle that accepts a plugin-defined configuration (plugin instances, data integration
 * connectors and actions) checks it the same way and names the field the same way.
 */
@ProviderType
public interface ConfigSchemas {

    /**
     * Checks {@code value} against the schema.
     *
     * @param schemaText JSON Schema (draft 2020-12 unless it names another dialect); null or blank accepts anything
     * @param field      the value's own field name in the request ("config", "parameters"), the
     *     prefix of the field named in errors
     * @throws IllegalArgumentException "field 'parameters.url': required property 'url' not found"
     *     for the first failure, or naming the schema when the schema itself is unusable
     */
    void check(String schemaText, Map<String, Object> value, String field);
}
