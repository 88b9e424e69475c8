package io.aviary.api.plugin;

/** The kinds of plugin bundles, one folder of the source tree each. */
public enum PluginKind {
    AUTH,
    BRIDGE,
    STORAGE,
    PROTOCOL;

    public static PluginKind parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
