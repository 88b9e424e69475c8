package io.aviary.api.plugin;

/**
 * A plugin as its manifest describes it.
 *
 * @param configSchema the JSON Schema text of an instance's configuration ("{}" when the plugin declares none)
 */
public record PluginDescriptor(String id, PluginKind kind, String version, String description, String configSchema) {
}
