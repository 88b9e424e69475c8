package io.aviary.api.plugin;

/**
 * One entry of the catalogue: a plugin bundle, or a jar in plugins/ that could not become one.
 *
 * @param descriptor null when the jar could not be read as a plugin (then see {@code error})
 * @param file       the jar's file name in plugins/
 * @param bundleId   the OSGi bundle id, -1 when not installed
 * @param instances  how many instances (all tenants) exist
 * @param error      why the plugin is FAILED, else null
 */
public record PluginStatus(String name, PluginDescriptor descriptor, String file, long bundleId, String bundleVersion,
                           PluginState state, int instances, String error) {
}
