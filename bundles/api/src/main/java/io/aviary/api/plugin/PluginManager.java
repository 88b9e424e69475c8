package io.aviary.api.plugin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The catalogue of plugins and the instances tenants have of them. The admin API uses
 * this; creating a plugin's first instance starts its bundle, removing its last stops it.
 */
@ProviderType
public interface PluginManager {

    /** Every plugin bundle, and every jar in plugins/ that failed to become one. */
    List<PluginStatus> plugins();

    Optional<PluginStatus> plugin(String pluginId);

    /** Instances of every plugin for one tenant, or for all tenants when tenant is null. */
    List<PluginInstance> instances(String tenant);

    /**
     * Creates an instance after validating {@code config} against the plugin's schema.
     *
     * @throws IllegalArgumentException naming the field when the config does not match
     * @throws java.util.NoSuchElementException when there is no such plugin
     */
    PluginInstance createInstance(String pluginId, String tenant, Map<String, Object> config);

    /** Replaces an instance's configuration; the plugin's component is reconfigured. */
    PluginInstance updateInstance(String instanceId, Map<String, Object> config);

    /**
     * Orders a tenant's instances in its chains: the first listed is asked first. The tenant's
     * instances not listed keep their relative order, after the listed ones.
     *
     * @throws java.util.NoSuchElementException when an id is not an instance of this tenant
     */
    void reorder(String tenant, List<String> instanceIds);

    /** Keeps an instance but has its tenant's chains skip it (false), or ask it again (true). */
    PluginInstance setEnabled(String instanceId, boolean enabled);

    /** Removes an instance; false when there was none. */
    boolean deleteInstance(String instanceId);

    /**
     * Installs an uploaded plugin bundle into plugins/, as if it had been copied there. The
     * upload must have been allowed on the host first ({@code bin/aviary plugins allow <sha256>},
     * valid for 5 minutes, used once).
     *
     * @return the plugin as the catalogue shows it once installed
     * @throws SecurityException        its sha256 was not allowed (or the allowance expired); the message says how to allow it
     * @throws IllegalArgumentException the bytes are not an OSGi bundle jar
     */
    PluginStatus install(byte[] jar);

    /**
     * Uninstalls a plugin: deletes its instances, stops and removes its bundle and deletes its
     * jar from plugins/. False when there is no such plugin.
     */
    boolean uninstall(String pluginId);
}
