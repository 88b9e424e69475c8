package io.aviary.api.plugin;

/**
 * Manifest headers that make a bundle an Aviary plugin. The platform reads them from the
 * jar without starting it, so it can list, validate and configure a plugin beforehand.
 * In bnd.bnd: {@code Aviary-Plugin-Id: http-auth}, {@code Aviary-Plugin-Kind: auth}, ...
 */
public final class PluginHeaders {
    /** Unique plugin id, also the Config Admin factory PID of its instances. */
    public static final String ID = "Aviary-Plugin-Id";
    /** One of {@link PluginKind}, case-insensitive. */
    public static final String KIND = "Aviary-Plugin-Kind";
    /** One line describing the plugin. */
    public static final String DESCRIPTION = "Aviary-Plugin-Description";
    /** Path inside the bundle of the JSON Schema of an instance's configuration. */
    public static final String SCHEMA = "Aviary-Plugin-Schema";

    /**
     * Comma-separated data integration connector types the plugin provides ("kafka_producer,
     * kafka_consumer"), so the platform knows which plugin to enable for a tenant's new connector.
     */
    public static final String INTEGRATION_TYPES = "Aviary-Integration-Types";

    /**
     * The EMQX authenticator id an auth plugin implements ("password_based:built_in_database", "jwt",
     * "password_based:http"), so /api/v5/authentication can create it by EMQX's mechanism and backend.
     */
    public static final String AUTHENTICATOR = "Aviary-Authenticator";

    /** The EMQX authorization source type an auth plugin implements ("file", "http"), for /api/v5/authorization/sources. */
    public static final String AUTHZ_SOURCE = "Aviary-Authz-Source";

    /** Class name of the plugin's {@link ConfigCheck}, for checks its JSON Schema cannot express. */
    public static final String CONFIG_CHECK = "Aviary-Plugin-Config-Check";

    /** Config Admin property every plugin instance carries. */
    public static final String TENANT_PROPERTY = "tenant";

    private PluginHeaders() {
    }
}
