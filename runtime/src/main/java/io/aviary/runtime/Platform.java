package io.aviary.runtime;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds Felix: installs every jar of bundles/ (the core), hands the configuration to Config
 * Admin before the core starts, and reports ready once the broker's listeners are bound.
 * Plugins are not this class's business: the plugin-manager core bundle installs plugins/
 * and watches it.
 */
final class Platform {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    /** The broker registers this service once its listeners are bound. */
    static final String READY_SERVICE = "io.aviary.api.broker.Broker";
    static final String FATAL_MARKER = "aviary.fatal";
    private static final String CONFIG_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String SLF4J_VERSION = "2.0.17";

    private final Layout layout;
    private final Config config;
    private final long startNanos = System.nanoTime();
    private volatile Framework framework;

    Platform(Layout layout, Config config) {
        this.layout = layout;
        this.config = config;
    }

    void start() throws BundleException, IOException, InterruptedException {
        Files.writeString(layout.data().resolve("aviary.pid"), Long.toString(ProcessHandle.current().pid()));
        Files.deleteIfExists(readyMarker());
        Files.deleteIfExists(layout.data().resolve(FATAL_MARKER));
        framework = new Felix(frameworkProperties());
        framework.init();
        framework.start();
        BundleContext context = framework.getBundleContext();
        List<Bundle> core = installCore(context);
        startFirst(core, "org.apache.felix.configadmin");
        publishConfiguration(context);
        for (Bundle bundle : core) {
            startBundle(bundle);
        }
        awaitReady(context);
    }

    private Map<String, Object> frameworkProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, layout.data().resolve("felix-cache").toString());
        // The core is reinstalled from bundles/ at every start, so the cache never holds stale jars.
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",",
                "org.slf4j;version=" + SLF4J_VERSION, "org.slf4j.spi;version=" + SLF4J_VERSION,
                "org.slf4j.event;version=" + SLF4J_VERSION, "org.slf4j.helpers;version=" + SLF4J_VERSION,
                "sun.misc", "sun.nio.ch"));
        props.put("felix.log.logger", new FelixLogBridge());
        props.put("felix.log.level", "3");
        props.put("felix.cm.dir", layout.data().resolve("config").toString());
        props.put("ds.loglevel", "warn");
        props.put("aviary.home", layout.home().toString());
        props.put("aviary.data.dir", layout.data().toString());
        props.put("aviary.plugins.dir", layout.plugins().toString());
        props.put("aviary.log.dir", layout.log().toString());
        props.put("aviary.node.name", config.getString("node.name"));
        props.put("aviary.version", version());
        return props;
    }

    private List<Bundle> installCore(BundleContext context) throws IOException, BundleException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(layout.bundles())) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            try (InputStream in = Files.newInputStream(jar)) {
                installed.add(context.installBundle(jar.toUri().toString(), in));
            }
        }
        LOG.info("Installed {} core bundles from {}", installed.size(), layout.bundles());
        return installed;
    }

    private static void startFirst(List<Bundle> bundles, String symbolicName) {
        bundles.stream().filter(b -> symbolicName.equals(b.getSymbolicName())).forEach(Platform::startBundle);
    }

    private static void startBundle(Bundle bundle) {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null || bundle.getState() == Bundle.ACTIVE) {
            return;
        }
        try {
            bundle.start();
        } catch (BundleException e) {
            LOG.error("Core bundle {} failed to start: {}", bundle.getSymbolicName(), e.getMessage(), e);
        }
    }

    /** Hands each configuration section to Config Admin (reflectively: the launcher imports no bundle). */
    private void publishConfiguration(BundleContext context) {
        var ref = context.getServiceReference(CONFIG_ADMIN);
        if (ref == null) {
            LOG.error("Config Admin is not available; bundles start with their built-in defaults");
            return;
        }
        Object admin = context.getService(ref);
        try {
            Class<?> adminType = ref.getBundle().loadClass(CONFIG_ADMIN);
            Class<?> configurationType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            var getConfiguration = adminType.getMethod("getConfiguration", String.class, String.class);
            var update = configurationType.getMethod("update", java.util.Dictionary.class);
            var sections = ConfigSections.toConfigurations(config, ConfigLoader.defaults());
            for (var section : sections.entrySet()) {
                Object configuration = getConfiguration.invoke(admin, section.getKey(), "?");
                update.invoke(configuration, section.getValue());
            }
            LOG.info("Configuration handed to Config Admin: {}", sections.keySet());
        } catch (ReflectiveOperationException e) {
            LOG.error("Could not hand the configuration to Config Admin: {}", e.toString(), e);
        } finally {
            context.ungetService(ref);
        }
    }

    private void awaitReady(BundleContext context) throws InterruptedException, IOException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter("(objectClass=" + READY_SERVICE + ")"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        tracker.open(true);
        Object broker = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (broker == null && System.nanoTime() < deadline) {
            broker = tracker.waitForService(100);
            failIfFatal();
        }
        tracker.close();
        reportInactive(context);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        long jvmMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        if (broker == null) {
            LOG.error("Aviary {} is up without its broker after {} ms: see the errors above", version(), millis);
            return;
        }
        Files.writeString(readyMarker(), Long.toString(ProcessHandle.current().pid()));
        LOG.info("Aviary {} ready in {} ms ({} ms since JVM start), node {}", version(), millis, jvmMillis,
                config.getString("node.name"));
    }

    /**
     * A core bundle that must not run in its state (such as a durable store it cannot open)
     * leaves its reason in data/aviary.fatal: start-up then fails with that message (exit code 1).
     */
    private void failIfFatal() throws IOException {
        Path fatal = layout.data().resolve(FATAL_MARKER);
        if (Files.exists(fatal)) {
            String reason = Files.readString(fatal).strip();
            Files.deleteIfExists(fatal);
            throw new IllegalStateException(reason);
        }
    }

    private static void reportInactive(BundleContext context) {
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE && isCore(bundle)) {
                LOG.error("Core bundle {} {} is not active (state {})", bundle.getSymbolicName(), bundle.getVersion(),
                        bundle.getState());
            }
        }
    }

    private static boolean isCore(Bundle bundle) {
        return bundle.getLocation().contains("/bundles/") || bundle.getBundleId() == 0;
    }

    Path readyMarker() {
        return layout.data().resolve("aviary.ready");
    }

    /** Stops the framework: listeners close, sessions and stores flush, within node.shutdown_timeout. */
    void stop() {
        Framework fw = framework;
        if (fw == null) {
            return;
        }
        long begin = System.nanoTime();
        try {
            Files.deleteIfExists(readyMarker());
            fw.stop();
            fw.waitForStop(config.getDuration("node.shutdown_timeout").toMillis());
            Files.deleteIfExists(layout.data().resolve("aviary.pid"));
        } catch (Exception e) {
            LOG.warn("Shutdown was not clean: {}", e.toString());
        }
        LOG.info("Aviary stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    void awaitStop() {
        try {
            framework.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String version() {
        String v = Platform.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
