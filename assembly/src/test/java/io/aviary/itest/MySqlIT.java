package io.aviary.itest;

import org.junit.BeforeClass;

/** storage-mysql end to end against the real MariaDB of scripts/services.sh (see SqlSinkITBase). */
public class MySqlIT extends SqlSinkITBase {

    @BeforeClass
    public static void start() throws Exception {
        startDistribution();
    }

    @Override
    protected String type() {
        return "mysql";
    }

    @Override
    protected String service() {
        return "mariadb";
    }

    @Override
    protected String query(String sql) throws Exception {
        return SqlServers.mariadb(sql);
    }

    @Override
    protected String insertTemplate(String table) {
        return "insert into " + table + "(msgid, topic, qos, payload, arrived) "
                + "values (${id}, ${topic}, ${qos}, ${payload}, FROM_UNIXTIME(${timestamp}/1000))";
    }

    @Override
    protected String createTable(String table) {
        return "create table " + table + " (id int auto_increment primary key, msgid varchar(64), topic varchar(255),"
                + " qos tinyint, payload text, arrived datetime(3))";
    }

    @Override
    protected String missingTableError(String table) {
        return "Table 'aviary." + table + "' doesn't exist";
    }

    @Override
    protected String wrongPasswordError() {
        return "Access denied for user 'aviary'@'127.0.0.1'";
    }
}
