package io.aviary.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads etc/aviary.conf (HOCON) and layers overrides on it: command-line flags beat
 * AVIARY_* environment variables, which beat the file, which beats the built-in defaults
 * (aviary-defaults.conf, the same text the distribution ships as etc/aviary.conf).
 * The result is validated against the defaults, so every error names file, line and key.
 */
public final class ConfigLoader {
    static final String DEFAULTS_RESOURCE = "aviary-defaults.conf";
    private static final String ENV_PREFIX = "AVIARY_";

    private ConfigLoader() {
    }

    /** The built-in defaults, which double as the schema. */
    public static Config defaults() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
    }

    /**
     * @param file  the configuration file, or null to use the defaults alone
     * @param env   the process environment (only AVIARY_ keys with "__" are used)
     * @param flags "key=value" overrides from the command line
     */
    public static Config load(Path file, Map<String, String> env, List<String> flags) throws ConfigError {
        Config reference = defaults();
        Config fromFile = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigError(file + ": configuration file not found");
            }
            fromFile = parseFile(file);
        }
        Config merged = fromFlags(flags).withFallback(fromEnvironment(env)).withFallback(fromFile);
        try {
            merged = merged.withFallback(reference).resolve();
        } catch (ConfigException e) {
            throw new ConfigError(describe(e.origin()) + e.getMessage());
        }
        ConfigValidator.validate(merged, reference);
        return merged;
    }

    private static Config parseFile(Path file) throws ConfigError {
        try {
            return ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (ConfigException e) {
            // Parse errors already carry "file: line: " in their message.
            throw new ConfigError("invalid syntax: " + e.getMessage());
        }
    }

    /** AVIARY_LISTENERS__TCP__DEFAULT__BIND=x becomes listeners.tcp.default.bind = "x". */
    static Config fromEnvironment(Map<String, String> env) throws ConfigError {
        Config config = ConfigFactory.empty();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || !name.contains("__")) {
                continue;
            }
            String path = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace("__", ".");
            config = withOverride(config, path, e.getValue(), "environment variable " + name);
        }
        return config;
    }

    static Config fromFlags(List<String> flags) throws ConfigError {
        Config config = ConfigFactory.empty();
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError("command-line flag --set " + flag + ": expected key=value");
            }
            config = withOverride(config, flag.substring(0, eq).trim(), flag.substring(eq + 1), "command-line flag --set " + flag);
        }
        return config;
    }

    /** Lists and objects are parsed as HOCON; everything else stays a string and is typed on validation. */
    private static Config withOverride(Config config, String path, String raw, String origin) throws ConfigError {
        ConfigValue value;
        String trimmed = raw.trim();
        try {
            if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
                value = ConfigFactory.parseString("v = " + trimmed, ConfigParseOptions.defaults().setOriginDescription(origin))
                        .getValue("v");
            } else {
                value = ConfigValueFactory.fromAnyRef(raw, origin);
            }
            return config.withValue(path, value);
        } catch (ConfigException e) {
            throw new ConfigError(origin + ": " + e.getMessage());
        }
    }

    /** "file:line: " for file origins, the description (env var, flag) otherwise. */
    static String describe(ConfigOrigin origin) {
        if (origin == null) {
            return "";
        }
        if (origin.filename() != null) {
            return origin.filename() + ":" + Math.max(origin.lineNumber(), 0) + ": ";
        }
        if (origin.resource() != null) {
            return "built-in " + origin.resource() + ":" + origin.lineNumber() + ": ";
        }
        return origin.description() + ": ";
    }
}
