package io.aviary.rules.engine;

import io.aviary.api.broker.Broker;
import io.aviary.api.events.BrokerEvents;
import io.aviary.api.metrics.MetricsSource;
import io.aviary.api.rules.Rules;
import io.aviary.api.rules.Templates;
import io.aviary.rules.TemplateService;
import java.nio.file.Path;
import java.util.Hashtable;
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
 * Wires the rule engine into the platform: loads the rules from {@code <aviary.data.dir>/rules.json},
 * registers the {@link Rules} service and the rules' counters as a {@link MetricsSource}, and registers the {@link BrokerEvents} listener only while
 * some rule is enabled (with none, the broker does no per-message event work for rules). The
 * broker is referenced dynamically: rules are managed whether or not it runs, and republish fails
 * (counted) while it is away.
 */
@Component(immediate = true, service = {}, configurationPid = RulesComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RulesComponent {

    public static final String PID = "aviary.rule_engine";
    private static final Logger LOG = LoggerFactory.getLogger(RulesComponent.class);

    /** The rule_engine section of aviary.conf (sizes arrive as bytes). */
    public @interface Config {
        int lanes() default 2;

        int lane__queue__size() default 10_000;

        long max__queued__bytes() default RuleEngine.DEFAULT_MAX_QUEUED_BYTES;
    }

    private volatile Broker broker;
    private volatile io.aviary.api.tenant.Tenants tenants;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTenants(io.aviary.api.tenant.Tenants t) {
        tenants = t;
    }

    void unsetTenants(io.aviary.api.tenant.Tenants t) {
        if (tenants == t) {
            tenants = null;
        }
    }
    private volatile io.aviary.api.integration.Integrations integrations;
    private BundleContext context;
    private RuleEngine engine;
    private RulesListener listener;
    private ServiceRegistration<Rules> rulesRegistration;
    private ServiceRegistration<Templates> templatesRegistration;
    private ServiceRegistration<MetricsSource> metricsRegistration;
    private ServiceRegistration<BrokerEvents> listenerRegistration;

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
    void setIntegrations(io.aviary.api.integration.Integrations i) {
        integrations = i;
    }

    void unsetIntegrations(io.aviary.api.integration.Integrations i) {
        if (integrations == i) {
            integrations = null;
        }
    }

    @Activate
    void activate(BundleContext ctx, Config config) {
        check(config.lanes() >= 1 && config.lanes() <= 64, "rule_engine.lanes must be 1 to 64, was " + config.lanes());
        check(config.lane__queue__size() >= 1 && config.lane__queue__size() <= 1_000_000,
                "rule_engine.lane_queue_size must be 1 to 1000000, was " + config.lane__queue__size());
        check(config.max__queued__bytes() >= 1, "rule_engine.max_queued_bytes must be positive");
        this.context = ctx;
        String dir = ctx.getProperty("aviary.data.dir");
        if (dir == null) {
            dir = "data";
            LOG.warn("rules: framework property aviary.data.dir is not set; rules are kept in {}", dir);
        }
        String node = ctx.getProperty("aviary.node.name");
        RuleStore store = new RuleStore(Path.of(dir).resolve("rules.json"));
        engine = new RuleEngine(store, node == null ? "aviary@127.0.0.1" : node,
                new RuleWorkers(config.lanes(), config.lane__queue__size()), () -> broker, this::listen,
                config.max__queued__bytes());
        engine.integrations(() -> integrations);
        engine.usageMeter(() -> tenants);
        listener = new RulesListener(engine);
        try {
            engine.load();
        } catch (IllegalStateException unreadable) {
            LOG.error("rules: not started: {}", unreadable.getMessage());
            engine.stop();
            listen(false);
            throw unreadable;
        }
        rulesRegistration = ctx.registerService(Rules.class, engine, new Hashtable<>());
        templatesRegistration = ctx.registerService(Templates.class, new TemplateService(), new Hashtable<>());
        RuleEngine e = engine;
        metricsRegistration = ctx.registerService(MetricsSource.class, e::counters, new Hashtable<>());
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            LOG.error("rules: not started: {}", problem);
            throw new IllegalArgumentException(problem);
        }
    }

    /** Registers or unregisters the broker listener (called under the engine's lock on each change). */
    private synchronized void listen(boolean on) {
        if (on && listenerRegistration == null && context != null) {
            listenerRegistration = context.registerService(BrokerEvents.class, listener, new Hashtable<>());
            LOG.info("rules: listening to broker events");
        } else if (!on && listenerRegistration != null) {
            try {
                listenerRegistration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            listenerRegistration = null;
            LOG.info("rules: no enabled rule, not listening to broker events");
        }
    }

    @Deactivate
    void deactivate() {
        if (templatesRegistration != null) {
            templatesRegistration.unregister();
            templatesRegistration = null;
        }
        if (rulesRegistration != null) {
            rulesRegistration.unregister();
            rulesRegistration = null;
        }
        if (metricsRegistration != null) {
            metricsRegistration.unregister();
            metricsRegistration = null;
        }
        listen(false);
        context = null;
        engine.stop();
    }
}
