package io.aviary.api.plugin;

import java.util.Map;

/**
 * One tenant's configured use of a plugin: a Config Admin factory configuration
 * whose factory PID is the plugin id.
 *
 * @param id      the configuration's PID
 * @param ranking the instance's place in its tenant's chains ({@code service.ranking}: higher is asked first)
 * @param enabled false when the instance is kept but skipped by its tenant's chains
 */
public record PluginInstance(String id, String pluginId, String tenant, Map<String, Object> config, int ranking,
                             boolean enabled) {
    public PluginInstance {
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    public PluginInstance(String id, String pluginId, String tenant, Map<String, Object> config) {
        this(id, pluginId, tenant, config, 0, true);
    }
}
