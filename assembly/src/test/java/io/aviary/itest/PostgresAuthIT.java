package io.aviary.itest;

import org.junit.BeforeClass;

/** auth-pgsql and authz-pgsql against the real PostgreSQL of scripts/services.sh (see SqlAuthITBase). */
public class PostgresAuthIT extends SqlAuthITBase {

    @BeforeClass
    public static void start() throws Exception {
        createTables(new PostgresAuthIT());
        startDistribution();
    }

    @Override
    protected String backend() {
        return "postgresql";
    }

    @Override
    protected String authPlugin() {
        return "auth-pgsql";
    }

    @Override
    protected String service() {
        return "postgres";
    }

    @Override
    protected String sql(String statement) throws Exception {
        return SqlServers.psql(statement);
    }
}
