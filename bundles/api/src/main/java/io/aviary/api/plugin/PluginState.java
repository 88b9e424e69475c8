package io.aviary.api.plugin;

/** Lifecycle of a plugin as the platform reports it. */
public enum PluginState {
    /** Installed and resolvable; not started because no tenant has an instance of it. */
    INSTALLED,
    /** Started: at least one instance exists. */
    ACTIVE,
    /** The jar is corrupt, does not resolve, or failed to start; see the error. */
    FAILED
}
