package io.aviary.storage.sql;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;

/**
 * JDBC drivers register themselves with the JVM-wide DriverManager when their class loads, which
 * would keep a stopped plugin bundle's class loader alive. The plugins never use DriverManager,
 * so they remove their own drivers from it when they stop.
 */
public final class JdbcDrivers {
    private JdbcDrivers() {
    }

    public static void deregisterLoadedBy(ClassLoader loader) {
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == loader) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException | SecurityException ignored) {
                    // nothing else to do; the JVM keeps a reference it will not use
                }
            }
        }
    }
}
