package io.aviary.admin.rest;

import io.aviary.admin.error.ApiException;
import io.aviary.api.alarm.Alarms;
import io.aviary.api.auth.AclRuleStore;
import io.aviary.api.auth.UserStore;
import io.aviary.api.broker.BanList;
import io.aviary.api.broker.Broker;
import io.aviary.api.broker.BrokerQueries;
import io.aviary.api.broker.Listeners;
import io.aviary.api.metrics.MetricsExporter;
import io.aviary.api.plugin.PluginManager;
import io.aviary.api.rules.Rules;
import io.aviary.api.tenant.Tenants;

/**
 * The platform services the API calls, as DS binds and unbinds them at run time. A resource
 * asks for a service per request; when it is absent the caller gets a 503 JSON error rather
 * than the whole API waiting for (or restarting with) the service.
 */
public final class Services {

    /** One dynamically bound service. */
    private static final class Slot<T> {
        private final String absent;
        private volatile T service;

        Slot(String absent) {
            this.absent = absent;
        }

        synchronized void bind(T s) {
            service = s;
        }

        /** Clears the service only if it is still the one being unbound (DS may bind a replacement first). */
        synchronized void unbind(T s) {
            if (service == s) {
                service = null;
            }
        }

        T get() {
            T s = service;
            if (s == null) {
                throw ApiException.unavailable(absent);
            }
            return s;
        }
    }

    private final Slot<PluginManager> pluginManager = new Slot<>("the plugin manager is not running");
    private final Slot<Broker> broker = new Slot<>("the broker is not running");
    private final Slot<BrokerQueries> queries = new Slot<>("the broker is not running");
    private final Slot<MetricsExporter> metrics = new Slot<>("the metrics bundle is not running");
    private final Slot<BanList> banList = new Slot<>("the broker is not running");
    private final Slot<Listeners> listeners = new Slot<>("the broker is not running");
    private final Slot<Alarms> alarms = new Slot<>("the alarm service (metrics bundle) is not running");
    private final Slot<Tenants> tenants = new Slot<>("the broker is not running");
    private final Slot<io.aviary.api.auth.AuthzControl> authz = new Slot<>("the broker is not running");
    private final Slot<Rules> rules = new Slot<>("the rule engine is not running");
    private final Slot<io.aviary.api.integration.Integrations> integrations =
            new Slot<>("the data integration runtime is not running");

    /** Password databases kept by auth plugins, by EMQX authenticator id; absent when no such plugin runs. */
    private final java.util.Map<String, UserStore> userStores = new java.util.concurrent.ConcurrentHashMap<>();

    public void userStore(UserStore service) {
        userStores.put(service.authenticatorId(), service);
    }

    public void userStoreGone(UserStore service) {
        userStores.remove(service.authenticatorId(), service);
    }

    /** The user store of an authenticator id, or null when no running plugin keeps one. */
    public UserStore userStore(String authenticatorId) {
        return userStores.get(authenticatorId);
    }

    /** Authorization rule databases kept by auth plugins, by EMQX source type; absent when no such plugin runs. */
    private final java.util.Map<String, AclRuleStore> aclRuleStores = new java.util.concurrent.ConcurrentHashMap<>();

    public void aclRuleStore(AclRuleStore service) {
        aclRuleStores.put(service.sourceType(), service);
    }

    public void aclRuleStoreGone(AclRuleStore service) {
        aclRuleStores.remove(service.sourceType(), service);
    }

    /** The rule store of an authorization source type, or null when no running plugin keeps one. */
    public AclRuleStore aclRuleStore(String sourceType) {
        return aclRuleStores.get(sourceType);
    }

    public void rules(Rules service) {
        rules.bind(service);
    }

    public void rulesGone(Rules service) {
        rules.unbind(service);
    }

    public Rules rules() {
        return rules.get();
    }

    public void integrations(io.aviary.api.integration.Integrations service) {
        integrations.bind(service);
    }

    public void integrationsGone(io.aviary.api.integration.Integrations service) {
        integrations.unbind(service);
    }

    public io.aviary.api.integration.Integrations integrations() {
        return integrations.get();
    }

    public void authz(io.aviary.api.auth.AuthzControl service) {
        authz.bind(service);
    }

    public void authzGone(io.aviary.api.auth.AuthzControl service) {
        authz.unbind(service);
    }

    /** The broker's authorization settings and caches. */
    public io.aviary.api.auth.AuthzControl authz() {
        return authz.get();
    }

    public void tenants(Tenants service) {
        tenants.bind(service);
    }

    public void tenantsGone(Tenants service) {
        tenants.unbind(service);
    }

    public Tenants tenants() {
        return tenants.get();
    }

    public void pluginManager(PluginManager service) {
        pluginManager.bind(service);
    }

    public void pluginManagerGone(PluginManager service) {
        pluginManager.unbind(service);
    }

    public PluginManager pluginManager() {
        return pluginManager.get();
    }

    public void broker(Broker service) {
        broker.bind(service);
    }

    public void brokerGone(Broker service) {
        broker.unbind(service);
    }

    public Broker broker() {
        return broker.get();
    }

    public void queries(BrokerQueries service) {
        queries.bind(service);
    }

    public void queriesGone(BrokerQueries service) {
        queries.unbind(service);
    }

    public BrokerQueries queries() {
        return queries.get();
    }

    public void metrics(MetricsExporter service) {
        metrics.bind(service);
    }

    public void metricsGone(MetricsExporter service) {
        metrics.unbind(service);
    }

    public MetricsExporter metrics() {
        return metrics.get();
    }

    public void banList(BanList service) {
        banList.bind(service);
    }

    public void banListGone(BanList service) {
        banList.unbind(service);
    }

    public BanList banList() {
        return banList.get();
    }

    public void listeners(Listeners service) {
        listeners.bind(service);
    }

    public void listenersGone(Listeners service) {
        listeners.unbind(service);
    }

    public Listeners listeners() {
        return listeners.get();
    }

    public void alarms(Alarms service) {
        alarms.bind(service);
    }

    public void alarmsGone(Alarms service) {
        alarms.unbind(service);
    }

    public Alarms alarms() {
        return alarms.get();
    }
}
