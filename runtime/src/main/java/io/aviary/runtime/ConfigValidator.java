package io.aviary.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a merged configuration against the defaults, which serve as the schema: every key
 * must exist there (listeners may add names beside "default"), and every value must have the
 * default's type. A default such as "30s" makes a key a duration, "1MB" a size.
 */
final class ConfigValidator {
    static final Pattern DURATION = Pattern.compile("^\\d+\\s*(ms|s|m|h|d)$");
    /** Sizes are binary, as in EMQX: 1KB = 1024 bytes, 1MB = 1048576. */
    static final Pattern SIZE = Pattern.compile("^(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)$", Pattern.CASE_INSENSITIVE);

    private ConfigValidator() {
    }

    static void validate(Config merged, Config reference) throws ConfigError {
        checkObject(merged.root(), reference, "");
    }

    private static void checkObject(ConfigObject object, Config reference, String prefix) throws ConfigError {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String path = prefix.isEmpty() ? quote(entry.getKey()) : prefix + "." + quote(entry.getKey());
            String schemaPath = schemaPath(path, reference);
            ConfigValue value = entry.getValue();
            if (schemaPath == null || !reference.hasPathOrNull(schemaPath)) {
                throw new ConfigError(ConfigLoader.describe(value.origin()) + path + ": unknown key");
            }
            ConfigValue expected = reference.getValue(schemaPath);
            if (expected.valueType() == ConfigValueType.OBJECT) {
                if (value.valueType() != ConfigValueType.OBJECT) {
                    throw wrongType(path, value, "an object { ... }");
                }
                checkObject((ConfigObject) value, reference, path);
            } else {
                checkLeaf(path, value, expected);
            }
        }
    }

    /** listeners.tcp.mylistener.bind is checked against listeners.tcp.default.bind. */
    private static String schemaPath(String path, Config reference) {
        String[] parts = path.split("\\.");
        if (parts.length >= 3 && parts[0].equals("listeners")) {
            parts[2] = "default";
            return String.join(".", parts);
        }
        return path;
    }

    private static void checkLeaf(String path, ConfigValue value, ConfigValue expected) throws ConfigError {
        Config holder = value.atKey("v");
        try {
            switch (expected.valueType()) {
                case NUMBER -> holder.getNumber("v");
                case BOOLEAN -> holder.getBoolean("v");
                case LIST -> {
                    if (value.valueType() != ConfigValueType.LIST) {
                        throw wrongType(path, value, "a list [ ... ]");
                    }
                }
                case STRING -> checkString(path, value, holder, (String) expected.unwrapped());
                default -> {
                }
            }
        } catch (ConfigException e) {
            throw wrongType(path, value, describeType(expected));
        }
    }

    private static void checkString(String path, ConfigValue value, Config holder, String example) throws ConfigError {
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            throw wrongType(path, value, "a string");
        }
        if (DURATION.matcher(example).matches()) {
            holder.getDuration("v");
        } else if (SIZE.matcher(example).matches() && !SIZE.matcher(holder.getString("v").trim()).matches()) {
            throw new ConfigException.BadValue(value.origin(), "v", "not a size");
        }
    }

    /** Bytes in a validated size such as "512KB". */
    static long bytes(String size) {
        var m = SIZE.matcher(size.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + size);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase().charAt(0)) {
            case 'K' -> n << 10;
            case 'M' -> n << 20;
            case 'G' -> n << 30;
            default -> n;
        };
    }

    static String describeType(ConfigValue expected) {
        return switch (expected.valueType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case LIST -> "a list [ ... ]";
            case OBJECT -> "an object { ... }";
            default -> {
                String example = (String) expected.unwrapped();
                if (DURATION.matcher(example).matches()) {
                    yield "a duration such as 30s, 500ms or 2h";
                }
                if (SIZE.matcher(example).matches()) {
                    yield "a size such as 512KB or 1MB";
                }
                yield "a string";
            }
        };
    }

    private static ConfigError wrongType(String path, ConfigValue value, String expected) {
        String found = value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST
                ? value.valueType().name().toLowerCase() : value.render();
        return new ConfigError(ConfigLoader.describe(value.origin()) + path + ": expected " + expected + ", found " + found);
    }

    private static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }
}
