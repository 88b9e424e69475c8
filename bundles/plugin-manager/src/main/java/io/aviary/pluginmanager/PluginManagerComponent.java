package io.aviary.pluginmanager;

import io.aviary.api.plugin.PluginDescriptor;
import io.aviary.api.plugin.PluginHeaders;
import io.aviary.api.plugin.PluginInstance;
import io.aviary.api.plugin.PluginManager;
import io.aviary.api.plugin.PluginStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin manager. It installs the jars of plugins/ and keeps watching the folder (hot
 * deploy), keeps the catalogue, and starts a plugin bundle while at least one instance (a
 * Config Admin factory configuration whose factory PID is the plugin id) exists. Every
 * bundle operation runs on one thread of its own, so a slow or broken jar holds up nothing
 * else; a jar that cannot be installed, resolved or started is marked failed with its reason.
 */
@Component(service = {PluginManager.class, ConfigurationListener.class}, immediate = true)
public final class PluginManagerComponent implements PluginManager, ConfigurationListener {

    private final ConfigValidator validator = new ConfigValidator();
    private static final Logger LOG = LoggerFactory.getLogger(PluginManagerComponent.class);
    static final String PLUGINS_DIR_PROPERTY = "aviary.plugins.dir";
    static final String POLL_PROPERTY = "aviary.plugins.poll.ms";
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final ScheduledExecutorService worker;
    private final DirectoryScanner scanner;
    private final Path pluginsDir;
    private final UploadAllowances allowances;
    /** By file name; touched only on the worker thread. */
    private final Map<String, PluginEntry> entries = new LinkedHashMap<>();

    @Activate
    public PluginManagerComponent(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
        String dir = context.getProperty(PLUGINS_DIR_PROPERTY);
        Path pluginsDir = Path.of(dir == null ? "plugins" : dir).toAbsolutePath();
        this.scanner = new DirectoryScanner(pluginsDir);
        this.pluginsDir = pluginsDir;
        String data = context.getProperty("aviary.data.dir");
        this.allowances = new UploadAllowances(Path.of(data == null ? "data" : data).resolve("plugin-allow"),
                () -> System.currentTimeMillis() / 1000);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "aviary-plugins"));
        long poll = Long.parseLong(Optional.ofNullable(context.getProperty(POLL_PROPERTY)).orElse("500"));
        // Two scans make a jar "stable": the first at once, the second one poll later.
        worker.execute(this::scanQuietly);
        worker.scheduleWithFixedDelay(this::scanQuietly, poll, poll, TimeUnit.MILLISECONDS);
        LOG.info("Watching {} for plugin bundles", pluginsDir);
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }

    // ---- hot deploy -------------------------------------------------------------------

    private void scanQuietly() {
        try {
            DirectoryScanner.Changes changes = scanner.scan();
            changes.removed().forEach(this::removeJar);
            changes.changed().forEach(this::updateJar);
            changes.added().forEach(this::installJar);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Scanning the plugins folder failed: {}", e.toString());
        }
    }

    private void installJar(Path jar) {
        PluginEntry entry = new PluginEntry(jar.getFileName().toString());
        entries.put(entry.file, entry);
        try (InputStream in = Files.newInputStream(jar)) {
            entry.bundle = context.installBundle(location(jar), in);
            LOG.info("Installed {} as bundle {} {}", entry.file, entry.bundle.getSymbolicName(), entry.bundle.getVersion());
            describeAndReconcile(entry);
        } catch (BundleException | IOException | RuntimeException e) {
            fail(entry, "cannot install: " + e.getMessage());
        }
    }

    private void updateJar(Path jar) {
        PluginEntry entry = entries.get(jar.getFileName().toString());
        if (entry == null || entry.bundle == null) {
            entries.remove(jar.getFileName().toString());
            installJar(jar);
            return;
        }
        try (InputStream in = Files.newInputStream(jar)) {
            entry.error = null;
            entry.bundle.update(in);
            refresh(entry.bundle);
            LOG.info("Updated {} to bundle {} {}", entry.file, entry.bundle.getSymbolicName(), entry.bundle.getVersion());
            describeAndReconcile(entry);
        } catch (BundleException | IOException | RuntimeException e) {
            fail(entry, "cannot update: " + e.getMessage());
        }
    }

    private void removeJar(Path jar) {
        PluginEntry entry = entries.remove(jar.getFileName().toString());
        if (entry == null || entry.bundle == null) {
            return;
        }
        try {
            entry.bundle.uninstall();
            refresh(entry.bundle);
            LOG.info("Uninstalled {} (bundle {})", entry.file, entry.bundle.getSymbolicName());
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("Uninstalling {} failed: {}", entry.file, e.getMessage());
        }
    }

    private void refresh(Bundle bundle) {
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(Set.of(bundle));
    }

    private static String location(Path jar) {
        return "aviary-plugin:" + jar.getFileName();
    }

    // ---- start policy -----------------------------------------------------------------

    private void describeAndReconcile(PluginEntry entry) {
        try {
            entry.descriptor = Descriptors.read(entry.bundle);
        } catch (IllegalArgumentException e) {
            fail(entry, e.getMessage());
            return;
        }
        reconcile(entry);
    }

    /** Starts a plugin with instances, stops one without; library bundles are just started. */
    private void reconcile(PluginEntry entry) {
        if (entry.bundle == null || entry.bundle.getState() == Bundle.UNINSTALLED) {
            return;
        }
        boolean wanted = !entry.isPlugin() || countInstances(entry.descriptor.id()) > 0;
        try {
            if (wanted && entry.bundle.getState() != Bundle.ACTIVE) {
                entry.bundle.start(Bundle.START_TRANSIENT);
                LOG.info("Started {} {}", entry.name(), entry.bundle.getVersion());
            } else if (!wanted) {
                if (entry.bundle.getState() == Bundle.ACTIVE) {
                    entry.bundle.stop(Bundle.STOP_TRANSIENT);
                    LOG.info("Stopped {}: no instance left", entry.name());
                }
                checkResolvable(entry);
            }
            entry.error = null;
        } catch (BundleException | IllegalStateException e) {
            fail(entry, "cannot start: " + e.getMessage());
        }
    }

    /** A plugin nobody uses is not started, but a jar that could never start is reported now. */
    private void checkResolvable(PluginEntry entry) throws BundleException {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        if (!wiring.resolveBundles(Set.of(entry.bundle))) {
            // Only start() tells why resolution fails; it cannot succeed here.
            entry.bundle.start(Bundle.START_TRANSIENT);
            entry.bundle.stop(Bundle.STOP_TRANSIENT);
        }
    }

    private void fail(PluginEntry entry, String error) {
        entry.error = error;
        LOG.error("Plugin {} failed: {}", entry.name(), error);
    }

    private void reconcilePlugin(String pluginId) {
        entries.values().stream().filter(e -> e.isPlugin() && e.descriptor.id().equals(pluginId)).forEach(this::reconcile);
    }

    // ---- instances --------------------------------------------------------------------

    private Configuration[] configurations(String filter) {
        try {
            Configuration[] found = configAdmin.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot list configurations: " + e.getMessage(), e);
        }
    }

    private int countInstances(String pluginId) {
        return configurations("(service.factoryPid=" + escape(pluginId) + ")").length;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String factoryPid = event.getFactoryPid();
        if (factoryPid != null) {
            worker.execute(() -> reconcilePlugin(factoryPid));
        }
    }

    @Override
    public List<PluginStatus> plugins() {
        return call(() -> {
            List<PluginStatus> list = new ArrayList<>();
            for (PluginEntry e : entries.values()) {
                list.add(e.status(e.isPlugin() ? countInstances(e.descriptor.id()) : 0));
            }
            list.sort(Comparator.comparing(PluginStatus::name));
            return list;
        });
    }

    @Override
    public Optional<PluginStatus> plugin(String pluginId) {
        return plugins().stream().filter(p -> p.name().equals(pluginId)).findFirst();
    }

    @Override
    public List<PluginInstance> instances(String tenant) {
        String filter = tenant == null ? "(" + PluginHeaders.TENANT_PROPERTY + "=*)"
                : "(" + PluginHeaders.TENANT_PROPERTY + "=" + escape(tenant) + ")";
        List<PluginInstance> list = new ArrayList<>();
        for (Configuration c : configurations(filter)) {
            if (c.getFactoryPid() != null && c.getProperties() != null) {
                list.add(toInstance(c));
            }
        }
        list.sort(Comparator.comparing(PluginInstance::id));
        return list;
    }

    @Override
    public PluginInstance createInstance(String pluginId, String tenant, Map<String, Object> config) {
        PluginDescriptor descriptor = plugin(pluginId).map(PluginStatus::descriptor)
                .orElseThrow(() -> new NoSuchElementException("no plugin " + pluginId));
        if (descriptor == null) {
            throw new NoSuchElementException("no plugin " + pluginId);
        }
        validator.check(pluginId, descriptor.configSchema(), config); // nothing is stored or started for a bad one
        pluginCheck(pluginId, config);
        // a new instance joins the end of its tenant's chains
        int ranking = instances(tenant).stream().mapToInt(PluginInstance::ranking).min().orElse(1) - 1;
        try {
            Configuration c = configAdmin.createFactoryConfiguration(pluginId, "?");
            c.update(InstanceProperties.toProperties(tenant, config, ranking, true, descriptor));
            LOG.info("Created instance {} of {} for tenant {}", c.getPid(), pluginId, tenant);
            call(() -> {
                reconcilePlugin(pluginId);
                return null;
            });
            return toInstance(c);
        } catch (IOException e) {
            throw new IllegalStateException("cannot store the instance: " + e.getMessage(), e);
        }
    }

    @Override
    public PluginInstance updateInstance(String instanceId, Map<String, Object> config) {
        Configuration c = find(instanceId).orElseThrow(() -> new NoSuchElementException("no instance " + instanceId));
        String tenant = String.valueOf(c.getProperties().get(PluginHeaders.TENANT_PROPERTY));
        PluginDescriptor descriptor = plugin(c.getFactoryPid()).map(PluginStatus::descriptor).orElse(null);
        if (descriptor != null) {
            validator.check(c.getFactoryPid(), descriptor.configSchema(), config);
            pluginCheck(c.getFactoryPid(), config);
        }
        try {
            c.update(InstanceProperties.toProperties(tenant, config, InstanceProperties.ranking(c.getProperties()),
                    InstanceProperties.enabled(c.getProperties()), descriptor));
        } catch (IOException e) {
            throw new IllegalStateException("cannot store the instance: " + e.getMessage(), e);
        }
        LOG.info("Updated instance {} of {} for tenant {}", instanceId, c.getFactoryPid(), tenant);
        return toInstance(c);
    }

    /**
     * Runs the plugin's own {@link io.aviary.api.plugin.ConfigCheck} (manifest header
     * Aviary-Plugin-Config-Check), loaded from its bundle without starting it.
     */
    private void pluginCheck(String pluginId, Map<String, Object> config) {
        Bundle bundle = call(() -> entries.values().stream()
                .filter(e -> e.isPlugin() && e.descriptor.id().equals(pluginId) && e.bundle != null)
                .map(e -> e.bundle).findFirst().orElse(null));
        String name = bundle == null ? null : bundle.getHeaders().get(PluginHeaders.CONFIG_CHECK);
        if (name == null || name.isBlank()) {
            return;
        }
        io.aviary.api.plugin.ConfigCheck check;
        try {
            check = (io.aviary.api.plugin.ConfigCheck) bundle.loadClass(name.trim()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            LOG.warn("plugin {}: its config check {} cannot be loaded: {}", pluginId, name, e.toString());
            return; // the schema has spoken; a broken check does not block the tenant
        }
        try {
            check.check(config);
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            int colon = m.indexOf(": ");
            throw new IllegalArgumentException(colon > 0 && !m.substring(0, colon).contains(" ")
                    ? "field 'config." + m.substring(0, colon) + "': " + m.substring(colon + 2)
                    : "field 'config': " + m, e);
        }
    }

    @Override
    public synchronized void reorder(String tenant, List<String> instanceIds) {
        List<PluginInstance> current = new ArrayList<>(instances(tenant));
        current.sort(Comparator.comparingInt(PluginInstance::ranking).reversed());
        List<PluginInstance> ordered = new ArrayList<>();
        for (String id : instanceIds) {
            PluginInstance i = current.stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("no instance " + id + " of tenant " + tenant));
            ordered.add(i);
        }
        current.removeAll(ordered);
        ordered.addAll(current);
        for (int k = 0; k < ordered.size(); k++) {
            PluginInstance i = ordered.get(k);
            int ranking = ordered.size() - k;
            if (i.ranking() != ranking) {
                store(i.id(), tenant, i.config(), ranking, i.enabled());
            }
        }
        LOG.info("Reordered the chains of tenant {}: {}", tenant, ordered.stream().map(PluginInstance::id).toList());
    }

    @Override
    public PluginInstance setEnabled(String instanceId, boolean enabled) {
        Configuration c = find(instanceId).orElseThrow(() -> new NoSuchElementException("no instance " + instanceId));
        PluginInstance i = toInstance(c);
        if (i.enabled() != enabled) {
            store(instanceId, i.tenant(), i.config(), i.ranking(), enabled);
            LOG.info("{} instance {} of {} for tenant {}", enabled ? "Enabled" : "Disabled", instanceId, i.pluginId(),
                    i.tenant());
        }
        return toInstance(find(instanceId).orElseThrow());
    }

    private void store(String instanceId, String tenant, Map<String, Object> config, int ranking, boolean enabled) {
        Configuration c = find(instanceId).orElseThrow(() -> new NoSuchElementException("no instance " + instanceId));
        PluginDescriptor descriptor = plugin(c.getFactoryPid()).map(PluginStatus::descriptor).orElse(null);
        try {
            c.update(InstanceProperties.toProperties(tenant, config, ranking, enabled, descriptor));
        } catch (IOException e) {
            throw new IllegalStateException("cannot store the instance: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean deleteInstance(String instanceId) {
        Optional<Configuration> found = find(instanceId);
        if (found.isEmpty()) {
            return false;
        }
        String pluginId = found.get().getFactoryPid();
        try {
            found.get().delete();
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete the instance: " + e.getMessage(), e);
        }
        LOG.info("Deleted instance {} of {}", instanceId, pluginId);
        call(() -> {
            reconcilePlugin(pluginId);
            return null;
        });
        return true;
    }

    // ---- upload and uninstall (admin API) ---------------------------------------------

    @Override
    public PluginStatus install(byte[] jar) {
        String sha256 = UploadAllowances.sha256(jar);
        allowances.consume(sha256);
        String file = fileName(jar);
        try {
            Files.createDirectories(pluginsDir);
            Path part = pluginsDir.resolve(".upload-" + sha256 + ".part"); // not *.jar: the scanner ignores it
            Files.write(part, jar);
            Path target = pluginsDir.resolve(file);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Uploaded plugin jar {} (sha256 {}, {} bytes)", file, sha256, jar.length);
            return call(() -> {
                scanner.accept(target);
                PluginEntry known = entries.get(file);
                if (known != null && known.bundle != null) {
                    updateJar(target);
                } else {
                    entries.remove(file);
                    installJar(target);
                }
                PluginEntry entry = entries.get(file);
                return entry.status(entry.isPlugin() ? countInstances(entry.descriptor.id()) : 0);
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + " to " + pluginsDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code <symbolic name>-<version>.jar} from the manifest; IllegalArgumentException when it is no bundle jar. */
    static String fileName(byte[] jar) {
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar), true)) {
            manifest = in.getManifest();
            while (in.getNextJarEntry() != null) {
                in.transferTo(java.io.OutputStream.nullOutputStream()); // reads every entry: a truncated or corrupt jar fails here
            }
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("the upload is not a readable jar: " + e.getMessage(), e);
        }
        if (manifest == null) {
            throw new IllegalArgumentException("the upload is not a jar with a manifest");
        }
        Attributes main = manifest.getMainAttributes();
        String bsn = main.getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw new IllegalArgumentException("the upload is not an OSGi bundle: no Bundle-SymbolicName in its manifest");
        }
        String version = Optional.ofNullable(main.getValue("Bundle-Version")).orElse("0.0.0").trim();
        String name = bsn.split(";", 2)[0].trim() + "-" + version;
        return name.replaceAll("[^A-Za-z0-9._-]", "_") + ".jar";
    }

    @Override
    public boolean uninstall(String pluginId) {
        return call(() -> {
            PluginEntry entry = entries.values().stream().filter(e -> e.name().equals(pluginId)).findFirst().orElse(null);
            if (entry == null) {
                return false;
            }
            if (entry.descriptor != null) {
                for (Configuration c : configurations("(service.factoryPid=" + escape(entry.descriptor.id()) + ")")) {
                    String pid = c.getPid(); // a deleted Configuration answers nothing more
                    c.delete();
                    LOG.info("Deleted instance {} of {} (plugin uninstalled)", pid, pluginId);
                }
            }
            Path jar = pluginsDir.resolve(entry.file);
            Files.deleteIfExists(jar);
            scanner.forget(jar);
            removeJar(jar);
            LOG.info("Plugin {} uninstalled: {} deleted", pluginId, entry.file);
            return true;
        });
    }

    private Optional<Configuration> find(String instanceId) {
        Configuration[] found = configurations("(service.pid=" + escape(instanceId) + ")");
        return found.length == 1 && found[0].getFactoryPid() != null ? Optional.of(found[0]) : Optional.empty();
    }

    private static PluginInstance toInstance(Configuration c) {
        var props = c.getProperties();
        return new PluginInstance(c.getPid(), c.getFactoryPid(), String.valueOf(props.get(PluginHeaders.TENANT_PROPERTY)),
                InstanceProperties.toConfig(props), InstanceProperties.ranking(props), InstanceProperties.enabled(props));
    }

    /** Runs on the worker thread, so callers see the catalogue in a consistent state. */
    private <T> T call(Callable<T> task) {
        try {
            return worker.submit(task).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the plugin manager is busy; try again", e);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }
}
