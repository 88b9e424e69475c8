package io.aviary.pluginmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a tenant's plugin instance configuration against the JSON Schema the plugin ships
 * (Aviary-Plugin-Schema), before anything is stored or started, with the networknt validator
 * (draft 2020-12 unless the schema names another dialect). The first failure becomes an
 * IllegalArgumentException naming the field ({@code field 'config.url': required property
 * missing}), which the admin API answers with 400. Compiled schemas are cached by their text.
 */
final class ConfigValidator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CACHED = 256;

    private final ConcurrentHashMap<String, Schema> compiled = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException naming the first offending field, or the schema when it is unusable */
    void check(String pluginId, String schemaText, Map<String, Object> config) {
        check(pluginId, schemaText, config, "config");
    }

    /** The same, naming fields under {@code field} ("parameters.url"). */
    void check(String pluginId, String schemaText, Map<String, Object> config, String field) {
        if (schemaText == null || schemaText.isBlank()) {
            return; // the plugin declares no schema: any object is accepted
        }
        Schema schema = schema(pluginId, schemaText);
        JsonNode value = JSON.valueToTree(config == null ? Map.of() : config);
        List<Error> errors;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ConfigValidator.class.getClassLoader()); // meta-schemas load from this bundle
        try {
            errors = schema.validate(value);
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (!errors.isEmpty()) {
            Error first = errors.get(0);
            throw new IllegalArgumentException("field '" + field(field, first) + "': " + first.getMessage()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        }
    }

    /** "config.url" for a missing required url, "config.retry.max" or "config.hosts[1]" for a bad nested value. */
    private static String field(String root, Error e) {
        StringBuilder path = new StringBuilder(root);
        String at = String.valueOf(e.getInstanceLocation()); // a JSON Pointer ("/retry/max") or "$.retry.max"
        for (String part : at.replace("$", "").split("[/.]")) {
            if (part.isEmpty()) {
                continue;
            }
            path.append(part.chars().allMatch(Character::isDigit) ? "[" + part + "]" : "." + part.replace("~1", "/")
                    .replace("~0", "~"));
        }
        if ("required".equals(e.getKeyword()) && e.getProperty() != null) {
            path.append('.').append(e.getProperty());
        }
        return path.charAt(0) == '.' ? path.substring(1) : path.toString();
    }

    private Schema schema(String pluginId, String text) {
        Schema s = compiled.get(text);
        if (s != null) {
            return s;
        }
        try {
            s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("plugin '" + pluginId + "' ships an unusable JSON Schema: " + e.getMessage(), e);
        }
        if (compiled.size() >= MAX_CACHED) {
            compiled.clear();
        }
        compiled.put(text, s);
        return s;
    }
}
