package io.aviary.admin;

import io.aviary.api.plugin.PluginDescriptor;
import io.aviary.api.plugin.PluginInstance;
import io.aviary.api.plugin.PluginKind;
import io.aviary.api.plugin.PluginManager;
import io.aviary.api.plugin.PluginState;
import io.aviary.api.plugin.PluginStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the plugin-manager bundle, which these unit tests run without: a plain
 * in-memory PluginManager with one "http-auth" plugin whose schema requires a string "url".
 * Like the real one it throws IllegalArgumentException naming the field for a bad config and
 * NoSuchElementException for an unknown plugin.
 */
final class InMemoryPluginManagerForTest implements PluginManager {

    static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"url\"],"
            + "\"properties\":{\"url\":{\"type\":\"string\"}}}";
    private static final PluginDescriptor HTTP_AUTH =
            new PluginDescriptor("http-auth", PluginKind.AUTH, "1.2.0", "HTTP authentication", SCHEMA);

    private final Map<String, PluginInstance> instances = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();

    @Override
    public List<PluginStatus> plugins() {
        return List.of(status(), new PluginStatus("broken.jar", null, "broken.jar", -1, null, PluginState.FAILED, 0,
                "not a bundle: no manifest"));
    }

    @Override
    public Optional<PluginStatus> plugin(String pluginId) {
        return plugins().stream().filter(p -> p.descriptor() != null && p.descriptor().id().equals(pluginId)
                || p.name().equals(pluginId)).findFirst();
    }

    @Override
    public List<PluginInstance> instances(String tenant) {
        List<PluginInstance> result = new ArrayList<>();
        instances.values().stream().filter(i -> tenant == null || i.tenant().equals(tenant)).forEach(result::add);
        return result;
    }

    @Override
    public PluginInstance createInstance(String pluginId, String tenant, Map<String, Object> config) {
        if (!HTTP_AUTH.id().equals(pluginId)) {
            throw new NoSuchElementException("no plugin '" + pluginId + "'");
        }
        validate(config);
        PluginInstance instance = new PluginInstance(pluginId + "~" + sequence.incrementAndGet(), pluginId, tenant, config);
        instances.put(instance.id(), instance);
        return instance;
    }

    @Override
    public PluginInstance updateInstance(String instanceId, Map<String, Object> config) {
        PluginInstance old = instances.get(instanceId);
        if (old == null) {
            throw new NoSuchElementException("no plugin instance '" + instanceId + "'");
        }
        validate(config);
        PluginInstance updated = new PluginInstance(instanceId, old.pluginId(), old.tenant(), config);
        instances.put(instanceId, updated);
        return updated;
    }

    @Override
    public void reorder(String tenant, List<String> instanceIds) {
        throw new UnsupportedOperationException("not needed by the tests using this double");
    }

    @Override
    public PluginInstance setEnabled(String instanceId, boolean enabled) {
        throw new UnsupportedOperationException("not needed by the tests using this double");
    }

    @Override
    public boolean deleteInstance(String instanceId) {
        return instances.remove(instanceId) != null;
    }

    @Override
    public PluginStatus install(byte[] jar) {
        throw new SecurityException("uploads are not allowed in this test double");
    }

    @Override
    public boolean uninstall(String pluginId) {
        return false;
    }

    private static void validate(Map<String, Object> config) {
        if (!(config.get("url") instanceof String)) {
            throw new IllegalArgumentException("config.url: a string is required");
        }
    }

    private PluginStatus status() {
        int count = instances.size();
        return new PluginStatus("http-auth", HTTP_AUTH, "aviary-http-auth-1.2.0.jar", 12, "1.2.0",
                count > 0 ? PluginState.ACTIVE : PluginState.INSTALLED, count, null);
    }
}
