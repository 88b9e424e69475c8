package io.aviary.storage.sql;

import java.util.Map;

/**
 * The connector fields EMQX 5's MySQL and PostgreSQL connectors share: server, database, username,
 * password, pool_size and ssl ({enable, verify, cacertfile, server_name_indication}).
 */
public record SqlConnectorConfig(SqlServer server, String database, String username, String password,
                                 int poolSize, boolean sslEnabled, boolean sslVerify, String sslCaCertFile) {

    public static SqlConnectorConfig from(Map<String, Object> config, int defaultPort, String defaultUsername) {
        SqlServer server = SqlServer.parse(ConfigValues.string(config, "server", null), defaultPort);
        String database = ConfigValues.requiredString(config, "database");
        String username = ConfigValues.string(config, "username", defaultUsername);
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("username: is required");
        }
        String password = ConfigValues.string(config, "password", null);
        int poolSize = ConfigValues.integer(config, "pool_size", 8, 1, 1024);
        Map<String, Object> ssl = ConfigValues.object(config, "ssl");
        boolean enabled = ConfigValues.bool(ssl, "enable", false);
        String verify = ConfigValues.string(ssl, "verify", "verify_none");
        if (!verify.equals("verify_peer") && !verify.equals("verify_none")) {
            throw new IllegalArgumentException("ssl.verify: must be verify_peer or verify_none");
        }
        String caCertFile = ConfigValues.string(ssl, "cacertfile", null);
        if (enabled && verify.equals("verify_peer") && (caCertFile == null || caCertFile.isBlank())) {
            throw new IllegalArgumentException("ssl.cacertfile: is required with verify_peer");
        }
        if (caCertFile != null && !caCertFile.isBlank() && !new java.io.File(caCertFile).isFile()) {
            throw new IllegalArgumentException("ssl.cacertfile: no such file " + caCertFile);
        }
        return new SqlConnectorConfig(server, database, username, password, poolSize, enabled,
                verify.equals("verify_peer"), caCertFile);
    }
}
