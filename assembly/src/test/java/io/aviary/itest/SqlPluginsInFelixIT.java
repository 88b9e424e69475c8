package io.aviary.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.cm.ConfigurationAdminOptions.factoryConfiguration;
import static org.ops4j.pax.exam.cm.ConfigurationAdminOptions.newConfiguration;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.ConnectorType;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.rules.Templates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * The shipped SQL plugins inside Felix, as the distribution has them: each bundle resolves with
 * only the platform api and the JDK, its DS component registers the connector types once a tenant
 * enables it, and the embedded JDBC drivers (made directly, never through DriverManager) connect
 * to the real MariaDB and PostgreSQL of scripts/services.sh and write a batch the test reads back
 * with the servers' own command-line clients.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SqlPluginsInFelixIT {
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();

    @Inject
    private BundleContext context;

    @Inject
    private Templates templates;

    @Configuration
    public Option[] config() throws IOException {
        List<Option> options = new ArrayList<>();
        Path work = Files.createTempDirectory("aviary-paxexam");
        options.add(systemProperty("org.ops4j.pax.url.mvn.localRepository").value(System.getProperty("maven.repo.local")));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(systemPackages("org.slf4j;version=2.0.17", "org.slf4j.spi;version=2.0.17",
                "org.slf4j.event;version=2.0.17", "org.slf4j.helpers;version=2.0.17", "sun.misc", "sun.nio.ch"));
        options.add(frameworkProperty("aviary.data.dir").value(work.resolve("data").toString()));
        options.add(frameworkProperty("aviary.plugins.dir").value(work.resolve("plugins").toString()));
        options.add(junitBundles());
        options.add(newConfiguration("aviary.listeners").put("tcp.default.bind", "127.0.0.1:0").asOption());
        options.add(newConfiguration("aviary.dashboard").put("listeners.http.bind", "127.0.0.1:0").asOption());
        Path dist = Path.of(System.getProperty("aviary.dist.dir"));
        for (Path jar : jars(dist.resolve("bundles"))) {
            options.add(isFragment(jar) ? bundle(jar.toUri().toString()).noStart() : bundle(jar.toUri().toString()));
        }
        options.add(bundle(dist.resolve("plugins/aviary-storage-mysql.jar").toUri().toString()));
        options.add(bundle(dist.resolve("plugins/aviary-storage-pgsql.jar").toUri().toString()));
        // the tenant "default" enables both plugins, as the runtime does on its first connector of a type
        options.add(factoryConfiguration("storage-mysql").put("tenant", "default").asOption());
        options.add(factoryConfiguration("storage-pgsql").put("tenant", "default").asOption());
        return options.toArray(new Option[0]);
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }

    private static boolean isFragment(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue(Constants.FRAGMENT_HOST) != null;
        }
    }

    private ConnectorType type(String name) throws Exception {
        String filter = "(&(objectClass=" + ConnectorType.class.getName() + ")(" + ConnectorType.TYPE_PROPERTY + "=" + name + "))";
        org.osgi.util.tracker.ServiceTracker<ConnectorType, ConnectorType> tracker =
                new org.osgi.util.tracker.ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open();
        ConnectorType type = tracker.waitForService(20_000);
        assertTrue(name + " registered", type != null);
        assertEquals("default", tracker.getServiceReference().getProperty("tenant"));
        return type;
    }

    private ConnectorContext connectorContext(String id) {
        return new ConnectorContext() {
            @Override
            public String tenant() {
                return "default";
            }

            @Override
            public String connectorId() {
                return id;
            }

            @Override
            public Templates templates() {
                return templates;
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return SCHEDULER;
            }
        };
    }

    private void writesABatch(String type, int port, String table, String insert) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of("server", "127.0.0.1:" + port, "database", "aviary",
                "username", "aviary", "password", "aviary-secret", "pool_size", 2L));
        try (Connector connector = type(type).open(connectorContext(type + ":felix"), config)) {
            Health health = connector.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(health.toString(), Health.Status.CONNECTED, health.status());
            Sink sink = connector.sink(type + ":felix", Map.of("sql", String.format(insert, table)));
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(Map.of("clientid", "c" + i, "payload", "it's #" + i));
            }
            sink.send(batch).toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    public void storagePgsqlWritesToPostgresInsideFelix() throws Exception {
        String table = "felix_" + ProcessHandle.current().pid();
        SqlServers.psql("drop table if exists " + table + "; create table " + table + " (clientid text, payload text)");
        try {
            writesABatch("pgsql", SqlServers.port("postgres"), table, "insert into %s(clientid, payload) values (${clientid}, ${payload})");
            assertEquals("10", SqlServers.psql("select count(*) from " + table));
            assertEquals("it's #3", SqlServers.psql("select payload from " + table + " where clientid = 'c3'"));
            assertTrue("the timescale alias is registered too", type("timescale") != null);
        } finally {
            SqlServers.psql("drop table if exists " + table);
        }
    }

    @Test
    public void storageMysqlWritesToMariaDbInsideFelix() throws Exception {
        String table = "felix_" + ProcessHandle.current().pid();
        SqlServers.mariadb("drop table if exists " + table + "; create table " + table + " (clientid varchar(32), payload varchar(64))");
        try {
            writesABatch("mysql", SqlServers.port("mariadb"), table, "insert into %s(clientid, payload) values (${clientid}, ${payload})");
            assertEquals("10", SqlServers.mariadb("select count(*) from " + table));
            assertEquals("it's #3", SqlServers.mariadb("select payload from " + table + " where clientid = 'c3'"));
        } finally {
            SqlServers.mariadb("drop table if exists " + table);
        }
    }
}
