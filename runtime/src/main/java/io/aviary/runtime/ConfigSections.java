package io.aviary.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns each top-level section of the validated configuration into the properties of one
 * Config Admin configuration, PID {@code aviary.<section>}. Keys inside a section are
 * flattened with dots; durations become long milliseconds and sizes long bytes (the
 * defaults say which keys are which); lists of scalars become String[]; anything richer
 * (lists of objects) is passed as JSON text.
 */
final class ConfigSections {
    static final String PID_PREFIX = "aviary.";

    private ConfigSections() {
    }

    static Map<String, Hashtable<String, Object>> toConfigurations(Config config, Config reference) {
        Map<String, Hashtable<String, Object>> byPid = new LinkedHashMap<>();
        for (String section : config.root().keySet()) {
            Hashtable<String, Object> props = new Hashtable<>();
            Config sectionConfig = config.getConfig(quote(section));
            for (Map.Entry<String, ConfigValue> e : sectionConfig.entrySet()) {
                String key = e.getKey();
                String fullPath = quote(section) + "." + key;
                props.put(key.replace("\"", ""), convert(config, fullPath, e.getValue(), referenceFor(reference, fullPath)));
            }
            byPid.put(PID_PREFIX + section, props);
        }
        return byPid;
    }

    private static ConfigValue referenceFor(Config reference, String path) {
        String[] parts = path.split("\\.");
        if (parts.length >= 3 && parts[0].equals("listeners")) {
            parts[2] = "default";
        }
        String schemaPath = String.join(".", parts);
        return reference.hasPath(schemaPath) ? reference.getValue(schemaPath) : null;
    }

    private static Object convert(Config config, String path, ConfigValue value, ConfigValue expected) {
        ConfigValueType type = expected == null ? value.valueType() : expected.valueType();
        switch (type) {
            case NUMBER: {
                Number n = config.getNumber(path);
                return (n instanceof Double || n instanceof Float) ? (Object) n.doubleValue() : (Object) n.longValue();
            }
            case BOOLEAN:
                return config.getBoolean(path);
            case LIST:
                return convertList(value);
            case STRING: {
                String example = expected == null ? "" : String.valueOf(expected.unwrapped());
                if (ConfigValidator.DURATION.matcher(example).matches()) {
                    return config.getDuration(path).toMillis();
                }
                if (ConfigValidator.SIZE.matcher(example).matches()) {
                    return ConfigValidator.bytes(config.getString(path));
                }
                return config.getString(path);
            }
            default:
                return value.render(ConfigRenderOptions.concise());
        }
    }

    private static Object convertList(ConfigValue value) {
        List<?> items = (List<?>) value.unwrapped();
        boolean scalars = items.stream().allMatch(i -> i instanceof String || i instanceof Number || i instanceof Boolean);
        if (scalars) {
            return items.stream().map(String::valueOf).toArray(String[]::new);
        }
        return value.render(ConfigRenderOptions.concise());
    }

    private static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }
}
