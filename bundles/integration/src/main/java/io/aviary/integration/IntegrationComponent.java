package io.aviary.integration;

import io.aviary.api.alarm.Alarms;
import io.aviary.api.broker.Broker;
import io.aviary.api.integration.ConnectorType;
import io.aviary.api.integration.Integrations;
import io.aviary.api.metrics.MetricsSource;
import io.aviary.api.plugin.ConfigSchemas;
import io.aviary.api.plugin.PluginManager;
import io.aviary.api.rules.Rules;
import io.aviary.api.rules.Templates;
import io.aviary.store.DurableStore;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the data integration runtime into the platform: the integration buffer store (static:
 * without it nothing can be buffered), the plugins' {@link ConnectorType} services (dynamic, one
 * per type and tenant), and the optional services it uses as they come and go (plugin manager,
 * schema validator, rules, broker, templates, alarms). Registers {@link Integrations} and the
 * actions' counters as a {@link MetricsSource}. Threads: a small scheduled pool
 * ({@code integration.threads}) that pumps batches, runs health checks and retry timers; sinks
 * must not block on it.
 */
@Component(immediate = true, service = {}, configurationPid = IntegrationComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class IntegrationComponent {

    public static final String PID = "aviary.integration";
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationComponent.class);

    /** The integration section of aviary.conf. */
    public @interface Config {
        int threads() default 2;

        /** How long creating a connector waits for the plugin it enables, ms. */
        long plugin__start__timeout() default 15_000;
    }

    private volatile PluginManager plugins;
    private volatile ConfigSchemas schemas;
    private volatile Rules rules;
    private volatile Broker broker;
    private volatile Templates templates;
    private volatile Alarms alarms;
    private final DurableStore store;
    private IntegrationRuntime runtime;
    private ScheduledThreadPoolExecutor exec;
    private ServiceRegistration<Integrations> registration;
    private ServiceRegistration<MetricsSource> metrics;
    /** Types bound before activation; handed over once the runtime exists. */
    private final Map<ConnectorType, String> early = new java.util.LinkedHashMap<>();

    @Activate
    public IntegrationComponent(BundleContext context, Config config,
            @Reference(target = "(" + DurableStore.PURPOSE + "=" + DurableStore.PURPOSE_INTEGRATION + ")")
            DurableStore store) {
        this.store = store;
        if (config.threads() < 1 || config.threads() > 64) {
            throw new IllegalArgumentException("integration.threads must be 1 to 64, was " + config.threads());
        }
        AtomicInteger n = new AtomicInteger();
        exec = new ScheduledThreadPoolExecutor(config.threads(), r -> {
            Thread t = new Thread(r, "aviary-integration-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        exec.setRemoveOnCancelPolicy(true);
        String dir = context.getProperty("aviary.data.dir");
        if (dir == null) {
            dir = "data";
            LOG.warn("integration: framework property aviary.data.dir is not set; integrations are kept in {}", dir);
        }
        IntegrationRuntime r = new IntegrationRuntime(new IntegrationFile(Path.of(dir).resolve("integrations.json")), store,
                exec, new IntegrationRuntime.Outside(() -> plugins, () -> schemas, () -> rules, () -> broker,
                        () -> templates, () -> alarms), config.plugin__start__timeout());
        try {
            r.load();
        } catch (IllegalStateException unreadable) {
            LOG.error("integration: not started: {}", unreadable.getMessage());
            exec.shutdownNow();
            throw unreadable;
        }
        synchronized (early) {
            runtime = r;
            early.forEach(r::typeAdded);
            early.clear();
        }
        registration = context.registerService(Integrations.class, r, new Hashtable<>());
        metrics = context.registerService(MetricsSource.class, r::counters, new Hashtable<>());
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        metrics.unregister();
        runtime.stop();
        exec.shutdown();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exec.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addType(ConnectorType type, Map<String, Object> props) {
        String tenant = tenantOf(props);
        synchronized (early) {
            if (runtime == null) {
                early.put(type, tenant);
                return;
            }
        }
        runtime.typeAdded(type, tenant);
    }

    void removeType(ConnectorType type, Map<String, Object> props) {
        synchronized (early) {
            if (runtime == null) {
                early.remove(type);
                return;
            }
        }
        runtime.typeRemoved(type, tenantOf(props));
    }

    private static String tenantOf(Map<String, Object> props) {
        Object t = props.get("tenant");
        return t == null ? "default" : t.toString();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPlugins(PluginManager p) {
        plugins = p;
    }

    void unsetPlugins(PluginManager p) {
        if (plugins == p) {
            plugins = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSchemas(ConfigSchemas s) {
        schemas = s;
    }

    void unsetSchemas(ConfigSchemas s) {
        if (schemas == s) {
            schemas = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setRules(Rules r) {
        rules = r;
    }

    void unsetRules(Rules r) {
        if (rules == r) {
            rules = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setBroker(Broker b) {
        broker = b;
    }

    void unsetBroker(Broker b) {
        if (broker == b) {
            broker = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTemplates(Templates t) {
        templates = t;
    }

    void unsetTemplates(Templates t) {
        if (templates == t) {
            templates = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAlarms(Alarms a) {
        alarms = a;
    }

    void unsetAlarms(Alarms a) {
        if (alarms == a) {
            alarms = null;
        }
    }
}
