package io.aviary.pluginmanager;

import io.aviary.api.plugin.PluginDescriptor;
import io.aviary.api.plugin.PluginState;
import io.aviary.api.plugin.PluginStatus;
import org.osgi.framework.Bundle;

/**
 * What the manager knows of one jar in plugins/: its bundle once installed, the plugin
 * descriptor if the manifest declares one, and the last error. Mutated only on the
 * manager's own thread.
 */
final class PluginEntry {
    final String file;
    Bundle bundle;
    PluginDescriptor descriptor;
    String error;

    PluginEntry(String file) {
        this.file = file;
    }

    boolean isPlugin() {
        return descriptor != null;
    }

    String name() {
        return descriptor != null ? descriptor.id() : file;
    }

    PluginStatus status(int instances) {
        PluginState state;
        if (error != null) {
            state = PluginState.FAILED;
        } else if (bundle != null && bundle.getState() == Bundle.ACTIVE) {
            state = PluginState.ACTIVE;
        } else {
            state = PluginState.INSTALLED;
        }
        long id = bundle == null ? -1 : bundle.getBundleId();
        String version = bundle == null ? null : bundle.getVersion().toString();
        return new PluginStatus(name(), descriptor, file, id, version, state, instances, error);
    }
}
