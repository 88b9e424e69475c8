package io.aviary.admin.rest;

import io.aviary.admin.error.ApiException;
import io.aviary.api.alarm.Alarms;
import io.aviary.api.broker.BanList;
import io.aviary.api.broker.Broker;
import io.aviary.api.broker.BrokerQueries;
import io.aviary.api.broker.Listeners;
import io.aviary.api.metrics.MetricsExporter;
import io.aviary.api.plugin.PluginManager;

/**
 * The platform services the API calls, as DS binds and unbinds them at run time. A resource
 * asks for a service per request; when it is absent the caller gets a 503 JSON error rather
 * than the whole API waiting for (or restarting with) the service.
 */
public final class Services {

    private volatile PluginManager pluginManager;
    private volatile Broker broker;
    private volatile BrokerQueries queries;
    private volatile MetricsExporter metrics;
    private volatile BanList banList;
    private volatile Listeners listeners;
    private volatile Alarms alarms;

    public void pluginManager(PluginManager service) {
        this.pluginManager = service;
    }

    public void broker(Broker service) {
        this.broker = service;
    }

    /** Clears the service only if it is still the one being unbound (DS may bind a replacement first). */
    public void pluginManagerGone(PluginManager service) {
        if (pluginManager == service) {
            pluginManager = null;
        }
    }

    public void brokerGone(Broker service) {
        if (broker == service) {
            broker = null;
        }
    }

    public PluginManager pluginManager() {
        PluginManager service = pluginManager;
        if (service == null) {
            throw ApiException.unavailable("the plugin manager is not running");
        }
        return service;
    }

    public Broker broker() {
        Broker service = broker;
        if (service == null) {
            throw ApiException.unavailable("the broker is not running");
        }
        return service;
    }

    public void queries(BrokerQueries service) {
        this.queries = service;
    }

    public void queriesGone(BrokerQueries service) {
        if (queries == service) {
            queries = null;
        }
    }

    public BrokerQueries queries() {
        BrokerQueries service = queries;
        if (service == null) {
            throw ApiException.unavailable("the broker is not running");
        }
        return service;
    }

    public void metrics(MetricsExporter service) {
        this.metrics = service;
    }

    public void metricsGone(MetricsExporter service) {
        if (metrics == service) {
            metrics = null;
        }
    }

    public MetricsExporter metrics() {
        MetricsExporter service = metrics;
        if (service == null) {
            throw ApiException.unavailable("the metrics bundle is not running");
        }
        return service;
    }

    public void banList(BanList service) {
        this.banList = service;
    }

    public void banListGone(BanList service) {
        if (banList == service) {
            banList = null;
        }
    }

    public BanList banList() {
        BanList service = banList;
        if (service == null) {
            throw ApiException.unavailable("the broker is not running");
        }
        return service;
    }

    public void listeners(Listeners service) {
        this.listeners = service;
    }

    public void listenersGone(Listeners service) {
        if (listeners == service) {
            listeners = null;
        }
    }

    public Listeners listeners() {
        Listeners service = listeners;
        if (service == null) {
            throw ApiException.unavailable("the broker is not running");
        }
        return service;
    }

    public void alarms(Alarms service) {
        this.alarms = service;
    }

    public void alarmsGone(Alarms service) {
        if (alarms == service) {
            alarms = null;
        }
    }

    public Alarms alarms() {
        Alarms service = alarms;
        if (service == null) {
            throw ApiException.unavailable("the alarm service (metrics bundle) is not running");
        }
        return service;
    }
}
