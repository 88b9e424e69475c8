package io.aviary.api.plugin;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A plugin's own check of an instance's configuration, for what its JSON Schema cannot say (the
 * syntax of an ACL text, a template, a URL's parts). Named by the manifest header
 * {@link PluginHeaders#CONFIG_CHECK}; the platform loads the class from the plugin bundle without
 * starting it and calls it after the schema, before anything is stored or started. It must be a
 * public class with a public no-argument constructor, and must not block.
 */
@ConsumerType
public interface ConfigCheck {

    /**
     * @throws IllegalArgumentException whose message is {@code "<field>: <problem>"} ("rules: line 3:
     *     permission must be allow or deny"); the API answers 400 "field 'config.rules': line 3: ..."
     */
    void check(Map<String, Object> config);
}
