package io.aviary.pluginmanager;

import com.google.gson.Gson;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts an instance's JSON-shaped configuration to Config Admin properties and back.
 * Config Admin holds only scalars and arrays, so nested objects and lists of objects are
 * kept as JSON text; integral numbers become Long, as JSON has no integer type.
 */
final class InstanceProperties {
    private static final Gson GSON = new Gson();
    /** Properties Config Admin or the platform adds, never part of the plugin's own config. */
    private static final Set<String> RESERVED = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            io.aviary.api.plugin.PluginHeaders.TENANT_PROPERTY, InstanceProperties.RANKING, InstanceProperties.ENABLED,
            InstanceProperties.AUTHENTICATOR, InstanceProperties.AUTHZ_SOURCE);
    /** The EMQX authenticator id / authorization source type of the plugin, for events and metrics. */
    static final String AUTHENTICATOR = "aviary.authenticator";
    static final String AUTHZ_SOURCE = "aviary.authz_source";
    /** The instance's place in its tenant's chains (DS copies it onto the component's services). */
    static final String RANKING = "service.ranking";
    /** False when the tenant's chains skip the instance (also copied onto its services). */
    static final String ENABLED = "aviary.enabled";

    private InstanceProperties() {
    }

    static Hashtable<String, Object> toProperties(String tenant, Map<String, Object> config, int ranking, boolean enabled,
                                                  io.aviary.api.plugin.PluginDescriptor descriptor) {
        Hashtable<String, Object> props = toProperties(tenant, config);
        props.put(RANKING, ranking);
        props.put(ENABLED, enabled);
        if (descriptor != null && descriptor.authenticator() != null) {
            props.put(AUTHENTICATOR, descriptor.authenticator());
        }
        if (descriptor != null && descriptor.authzSource() != null) {
            props.put(AUTHZ_SOURCE, descriptor.authzSource());
        }
        return props;
    }

    static int ranking(Dictionary<String, Object> props) {
        return props.get(RANKING) instanceof Number n ? n.intValue() : 0;
    }

    static boolean enabled(Dictionary<String, Object> props) {
        Object v = props.get(ENABLED);
        return v == null || Boolean.parseBoolean(String.valueOf(v));
    }

    static Hashtable<String, Object> toProperties(String tenant, Map<String, Object> config) {
        Hashtable<String, Object> props = new Hashtable<>();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            if (RESERVED.contains(e.getKey())) {
                throw new IllegalArgumentException("config." + e.getKey() + ": reserved name");
            }
            if (e.getValue() != null) {
                props.put(e.getKey(), toProperty(e.getValue()));
            }
        }
        props.put(io.aviary.api.plugin.PluginHeaders.TENANT_PROPERTY, tenant);
        return props;
    }

    private static Object toProperty(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (Object) n.longValue() : (Object) d;
        }
        if (value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Collection<?> list && list.stream().allMatch(v -> v instanceof String)) {
            return list.toArray(String[]::new);
        }
        return GSON.toJson(value);
    }

    static Map<String, Object> toConfig(Dictionary<String, Object> props) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            if (!RESERVED.contains(key)) {
                Object value = props.get(key);
                config.put(key, value instanceof String[] array ? List.of(array) : value);
            }
        }
        return config;
    }
}
