package io.aviary.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.cm.ConfigurationAdminOptions.newConfiguration;

import io.aviary.api.broker.Broker;
import io.aviary.api.plugin.PluginManager;
import io.aviary.store.DurableStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Boots Felix with exactly the distribution's core bundles (bundles/ of the assembled
 * distribution) and checks that every one of them is active and that the core services
 * are registered. Listeners bind ephemeral ports, so this runs beside a running Aviary.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreBundlesActiveIT {

    @Inject
    private BundleContext context;

    @Inject
    private Broker broker;

    @Inject
    private PluginManager pluginManager;

    @Inject
    private io.aviary.api.metrics.MetricsExporter metrics;

    @Inject
    private DurableStore store;

    static Path distBundles() {
        return Path.of(System.getProperty("aviary.dist.dir")).resolve("bundles");
    }

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
        for (Path jar : coreJars()) {
            Option b = isFragment(jar) ? bundle(jar.toUri().toString()).noStart() : bundle(jar.toUri().toString());
            options.add(b);
        }
        return options.toArray(new Option[0]);
    }

    private static List<Path> coreJars() throws IOException {
        try (Stream<Path> files = Files.list(distBundles())) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }

    private static boolean isFragment(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue(Constants.FRAGMENT_HOST) != null;
        }
    }

    @Test
    public void everyCoreBundleIsActive() throws IOException {
        List<String> notActive = new ArrayList<>();
        int core = 0;
        for (Bundle b : context.getBundles()) {
            if (!b.getLocation().contains("/bundles/")) {
                continue;
            }
            core++;
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                notActive.add(b.getSymbolicName() + " (state " + b.getState() + ")");
            }
        }
        assertEquals("every jar of bundles/ is installed", coreJars().size(), core);
        assertTrue("not active: " + notActive, notActive.isEmpty());
    }

    @Test
    public void coreServicesAreRegistered() {
        assertNotNull(broker);
        assertNotNull(pluginManager);
        assertNotNull("the admin API's listener control", context.getServiceReference(io.aviary.api.broker.Listeners.class));
        assertNotNull("the admin API's ban list", context.getServiceReference(io.aviary.api.broker.BanList.class));
        assertTrue("no plugins are installed in an empty plugins folder", pluginManager.plugins().isEmpty());
        assertTrue("the metrics bundle exports Prometheus text", metrics.scrape().contains("jvm_memory_used_bytes"));
    }

    @Test
    public void theDurableStoreRunsRocksDbInsideFelix() throws InterruptedException {
        assertTrue("the default mode is durable", store.durable());
        long ticket = store.put("default\u0000itest".getBytes(), new byte[] {1});
        java.util.concurrent.CountDownLatch synced = new java.util.concurrent.CountDownLatch(1);
        store.whenDurable(ticket, synced::countDown);
        assertTrue("the write was synced", synced.await(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    public void theRulesBundleCompilesSqlWithItsEmbeddedAntlr() throws Exception {
        Bundle rules = null;
        for (Bundle b : context.getBundles()) {
            if ("io.aviary.rules".equals(b.getSymbolicName())) {
                rules = b;
            }
        }
        assertNotNull("the rules bundle is installed", rules);
        assertEquals(Bundle.ACTIVE, rules.getState());
        // the bundle exports nothing: reach its entry point through its own class loader
        Class<?> sql = rules.loadClass("io.aviary.rules.RuleSql");
        Object compiled = sql.getMethod("compile", String.class).invoke(null, "SELECT payload.x AS x FROM \"t/#\"");
        assertEquals(List.of("t/#"), compiled.getClass().getMethod("topicFilters").invoke(compiled));
    }

    @Test
    public void theRuleEngineListensToTheBrokerOnlyWhileARuleIsEnabled() {
        org.osgi.framework.ServiceReference<io.aviary.api.rules.Rules> ref =
                context.getServiceReference(io.aviary.api.rules.Rules.class);
        assertNotNull("the rules bundle provides the Rules service", ref);
        io.aviary.api.rules.Rules rules = context.getService(ref);
        assertEquals("no rule, no per-message event work", 0, rulesListeners());
        rules.create(new io.aviary.api.rules.RuleDefinition("core-it", "default", "SELECT * FROM \"t/#\"", List.of(),
                true, "", 0));
        assertEquals(1, rulesListeners());
        rules.update(new io.aviary.api.rules.RuleDefinition("core-it", "default", "SELECT * FROM \"t/#\"", List.of(),
                false, "", 0));
        assertEquals("a disabled rule needs no events", 0, rulesListeners());
        assertTrue(rules.delete("default", "core-it"));
        context.ungetService(ref);
    }

    @Test
    public void theIntegrationRuntimeRunsWithItsOwnBufferStore() throws Exception {
        var refs = context.getServiceReferences(DurableStore.class, "(" + DurableStore.PURPOSE + "="
                + DurableStore.PURPOSE_INTEGRATION + ")");
        assertNotNull("the store bundle registers the integration buffer store", refs);
        assertEquals(1, refs.size());
        assertEquals("the sessions store is the default DurableStore", DurableStore.PURPOSE_SESSIONS,
                context.getServiceReference(DurableStore.class).getProperty(DurableStore.PURPOSE));
        org.osgi.framework.ServiceReference<io.aviary.api.integration.Integrations> ref =
                context.getServiceReference(io.aviary.api.integration.Integrations.class);
        assertNotNull("the integration bundle provides the Integrations service", ref);
        assertEquals("io.aviary.integration", ref.getBundle().getSymbolicName());
        io.aviary.api.integration.Integrations integrations = context.getService(ref);
        assertTrue(integrations.list("default", io.aviary.api.integration.Integrations.Kind.CONNECTOR).isEmpty());
        try {
            integrations.dispatch("default", "http:none", "r1", java.util.Map.of());
            throw new AssertionError("dispatch to a missing action must fail");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("does not exist"));
        }
        context.ungetService(ref);
    }

    private int rulesListeners() {
        try {
            int n = 0;
            var refs = context.getServiceReferences(io.aviary.api.events.BrokerEvents.class, null);
            for (var r : refs) {
                if ("io.aviary.rules".equals(r.getBundle().getSymbolicName())) {
                    n++;
                }
            }
            return n;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
