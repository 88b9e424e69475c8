package io.aviary.itest;

import org.junit.BeforeClass;

/** storage-pgsql end to end against the real PostgreSQL of scripts/services.sh (see SqlSinkITBase). */
public class PostgresIT extends SqlSinkITBase {

    @BeforeClass
    public static void start() throws Exception {
        startDistribution();
    }

    @Override
    protected String type() {
        return "pgsql";
    }

    @Override
    protected String service() {
        return "postgres";
    }

    @Override
    protected String query(String sql) throws Exception {
        return SqlServers.psql(sql);
    }

    @Override
    protected String insertTemplate(String table) {
        return "insert into " + table + "(msgid, topic, qos, payload, arrived) "
                + "values (${id}, ${topic}, ${qos}, ${payload}, TO_TIMESTAMP((${timestamp} :: bigint)/1000))";
    }

    @Override
    protected String createTable(String table) {
        return "create table " + table + " (id serial primary key, msgid varchar(64), topic varchar(255), qos smallint,"
                + " payload text, arrived timestamptz)";
    }

    @Override
    protected String missingTableError(String table) {
        return "relation \"" + table + "\" does not exist";
    }

    @Override
    protected String wrongPasswordError() {
        return "password authentication failed for user \"aviary\"";
    }
}
