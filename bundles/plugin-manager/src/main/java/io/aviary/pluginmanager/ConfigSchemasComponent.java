package io.aviary.pluginmanager;

import io.aviary.api.plugin.ConfigSchemas;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The plugin manager's JSON Schema validator offered to other bundles (the data integration
 * runtime checks connector and action configurations with it), so there is one validator with
 * one way of naming fields.
 */
@Component(service = ConfigSchemas.class)
public final class ConfigSchemasComponent implements ConfigSchemas {

    private final ConfigValidator validator = new ConfigValidator();

    @Override
    public void check(String schemaText, Map<String, Object> value, String field) {
        validator.check("the type", schemaText, value, field == null ? "" : field);
    }
}
