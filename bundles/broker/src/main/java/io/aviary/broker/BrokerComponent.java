package io.aviary.broker;

import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.broker.BanList;
import io.aviary.api.broker.Broker;
import io.aviary.api.broker.BrokerQueries;
import io.aviary.api.broker.Listeners;
import io.aviary.api.events.BrokerEvents;
import io.aviary.api.events.ClientEvents;
import io.aviary.api.tenant.Tenants;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.config.DurableConfig;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.config.MqttConfig;
import io.aviary.broker.config.TenantsConfig;
import io.aviary.broker.events.EventDispatcher;
import io.aviary.broker.tenant.TenantRegistry;
import io.aviary.store.DurableStore;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
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
 * The broker in OSGi: reads PIDs {@code aviary.mqtt} (typed) and {@code aviary.listeners} (raw,
 * listener names are dynamic), tracks BrokerEvents listeners and the auth chains, binds the
 * listeners and only then registers the {@link Broker} service (with {@link Listeners} and
 * {@link BanList} beside it), which the launcher takes as
 * "listeners are up". A configuration change restarts the component (and its listeners).
 * (No {@code @Designate}: bnd allows it only on single-PID components; MqttConfig still
 * carries the metatype description.)
 */
@Component(immediate = true, service = {}, configurationPid = {"aviary.mqtt", "aviary.listeners", "aviary.durable_sessions",
        "aviary.tenants", "aviary.authorization"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class BrokerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);

    private final EventDispatcher events = new EventDispatcher();
    private final BundleContext context;
    private final Map<String, Object> properties;
    private final MqttBroker broker;
    private ServiceRegistration<?> registration;
    private ServiceRegistration<Listeners> listenersRegistration;
    private ServiceRegistration<BanList> bansRegistration;
    private ServiceRegistration<?> tenantsRegistration;
    private ServiceRegistration<io.aviary.api.auth.AuthzControl> authzRegistration;

    @Activate
    public BrokerComponent(BundleContext context, MqttConfig config, DurableConfig durable, TenantsConfig tenants,
                           io.aviary.broker.config.AuthorizationConfig authorization, Map<String, Object> properties, @Reference(target = "(" + DurableStore.PURPOSE + "=" + DurableStore.PURPOSE_SESSIONS + ")") DurableStore store) {
        this.context = context;
        this.properties = properties;
        this.broker = new MqttBroker(new BrokerSettings(config, authorization), events, Runtime.getRuntime().availableProcessors(),
                store, new BrokerCore.Durability(durable.tenant__disk__quota(), durable.session__disk__quota(),
                        durable.expiry__check__interval()));
        broker.useTenants(new TenantRegistry(dataDir(context).resolve("tenants.json"), System::currentTimeMillis),
                tenants.sni__domain().trim().toLowerCase(java.util.Locale.ROOT), tenants.username__suffix(),
                tenants.default__enabled());
    }

    private static java.nio.file.Path dataDir(BundleContext context) {
        String dir = context.getProperty("aviary.data.dir");
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty("java.io.tmpdir") + "/aviary-data";
            LOG.warn("framework property aviary.data.dir is not set; tenants are kept in {}", dir);
        }
        return java.nio.file.Path.of(dir);
    }

    /** Runs after the dynamic references are bound, so the auth chains are complete before the first client. */
    @Activate
    void activate() throws InterruptedException {
        broker.start(ListenerSpec.parse(properties));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("aviary.listeners", broker.addresses().toString());
        listenersRegistration = context.registerService(Listeners.class, broker.listeners(), null);
        bansRegistration = context.registerService(BanList.class, broker.bans(), null);
        tenantsRegistration = context.registerService(new String[] {Tenants.class.getName(),
                io.aviary.api.tenant.TenantSettings.class.getName()}, broker.tenants(), null);
        authzRegistration = context.registerService(io.aviary.api.auth.AuthzControl.class,
                new io.aviary.broker.AuthzControlService(broker.core()), null);
        // One object, two services: Broker for every caller, BrokerQueries for the admin API's views.
        registration = context.registerService(new String[] {Broker.class.getName(), BrokerQueries.class.getName()},
                broker.service(), props);
        LOG.info("broker started, listeners {}", broker.addresses());
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : new ServiceRegistration<?>[] {registration, listenersRegistration, bansRegistration,
                tenantsRegistration, authzRegistration}) {
            if (r != null) {
                r.unregister();
            }
        }
        broker.close();
        LOG.info("broker stopped");
    }

    /** The alarm service the durable store's quota alarms go to, when the metrics bundle runs. */
    private volatile io.aviary.api.alarm.Alarms alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAlarms(io.aviary.api.alarm.Alarms alarms) {
        this.alarms = alarms;
        broker.core().alarms(alarms);
    }

    void unsetAlarms(io.aviary.api.alarm.Alarms alarms) {
        if (this.alarms == alarms) { // a greedy rebind may bind the replacement first
            this.alarms = null;
            broker.core().alarms(null);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addBrokerEvents(BrokerEvents listener) {
        events.add(listener);
    }

    void removeBrokerEvents(BrokerEvents listener) {
        events.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addClientEvents(ClientEvents listener) {
        events.addClientEvents(listener);
    }

    void removeClientEvents(ClientEvents listener) {
        events.removeClientEvents(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAuthenticator(Authenticator authenticator, Map<String, Object> props) {
        broker.core().auth().authenticators().add(authenticator, props);
    }

    void removeAuthenticator(Authenticator authenticator) {
        broker.core().auth().authenticators().remove(authenticator);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAuthorizer(Authorizer authorizer, Map<String, Object> props) {
        broker.core().auth().authorizers().add(authorizer, props);
    }

    void removeAuthorizer(Authorizer authorizer) {
        broker.core().auth().authorizers().remove(authorizer);
    }
}
