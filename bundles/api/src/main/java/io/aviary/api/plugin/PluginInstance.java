package io.aviary.api.plugin;

import java.util.Map;

/**
 * One tenant's configured use of a plugin: a Config Admin factory configuration
 * whose factory PID is the plugin id.
 *
 * @param id the configuration's PID
 */
public record PluginInstance(String id, String pluginId, String tenant, Map<String, Object> config) {
    public PluginInstance {
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
