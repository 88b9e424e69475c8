package io.aviary.auth.sql.pgsql;

import io.aviary.api.plugin.ConfigCheck;
import io.aviary.auth.sql.SqlAuthSettings;
import java.util.Map;

/**
 * The plugin's config check (Aviary-Plugin-Config-Check): what the schema cannot say, such as a
 * query whose placeholder sits inside quotes or names an unknown value, or a password_hash_algorithm
 * with parameters that do not fit, is refused with a 400 naming the field, before anything starts.
 * It only reads the config: it never connects.
 */
public final class PgAuthzCheck implements ConfigCheck {
    @Override
    public void check(Map<String, Object> config) {
        SqlAuthSettings.from(config, SqlAuthSettings.Dialect.POSTGRESQL, false);
    }
}
