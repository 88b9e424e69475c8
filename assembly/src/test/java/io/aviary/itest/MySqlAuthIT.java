package io.aviary.itest;

import org.junit.BeforeClass;

/** auth-mysql and authz-mysql against the real MariaDB of scripts/services.sh (see SqlAuthITBase). */
public class MySqlAuthIT extends SqlAuthITBase {

    @BeforeClass
    public static void start() throws Exception {
        createTables(new MySqlAuthIT());
        startDistribution();
    }

    @Override
    protected String backend() {
        return "mysql";
    }

    @Override
    protected String authPlugin() {
        return "auth-mysql";
    }

    @Override
    protected String service() {
        return "mariadb";
    }

    @Override
    protected String sql(String statement) throws Exception {
        return SqlServers.mariadb(statement);
    }
}
