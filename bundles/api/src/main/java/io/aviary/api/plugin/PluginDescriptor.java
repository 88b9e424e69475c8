package io.aviary.api.plugin;

/**
 * A plugin as its manifest describes it.
 *
 * @param configSchema     the JSON Schema text of an instance's configuration ("{}" when the plugin declares none)
 * @param integrationTypes the data integration connector types the plugin provides (header
 *                         {@link PluginHeaders#INTEGRATION_TYPES}); empty for other plugins
 * @param authenticator    the EMQX authenticator id the plugin implements ("password_based:built_in_database",
 *                         "jwt"; header {@link PluginHeaders#AUTHENTICATOR}), or null
 * @param authzSource      the EMQX authorization source type the plugin implements ("file", "http"; header
 *                         {@link PluginHeaders#AUTHZ_SOURCE}), or null
 */
public record PluginDescriptor(String id, PluginKind kind, String version, String description, String configSchema,
                               java.util.List<String> integrationTypes, String authenticator, String authzSource) {

    public PluginDescriptor {
        integrationTypes = integrationTypes == null ? java.util.List.of() : java.util.List.copyOf(integrationTypes);
    }

    public PluginDescriptor(String id, PluginKind kind, String version, String description, String configSchema) {
        this(id, kind, version, description, configSchema, java.util.List.of(), null, null);
    }
}
