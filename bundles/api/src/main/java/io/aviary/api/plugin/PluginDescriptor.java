package io.aviary.api.plugin;

/**
 * A plugin as its manifest describes it.
 *
 * @param configSchema     the JSON Schema text of an instance's configuration ("{}" when the plugin declares none)
 * @param integrationTypes the data integration connector types the plugin provides (header
 *                         {@link PluginHeaders#INTEGRATION_TYPES}); empty for other plugins
 */
public record PluginDescriptor(String id, PluginKind kind, String version, String description, String configSchema,
                               java.util.List<String> integrationTypes) {

    public PluginDescriptor {
        integrationTypes = integrationTypes == null ? java.util.List.of() : java.util.List.copyOf(integrationTypes);
    }

    public PluginDescriptor(String id, PluginKind kind, String version, String description, String configSchema) {
        this(id, kind, version, description, configSchema, java.util.List.of());
    }
}
