package io.aviary.metrics;

import io.aviary.api.broker.Broker;
import io.aviary.api.broker.BrokerQueries;
import io.aviary.api.events.ClientEvents;
import io.aviary.api.metrics.MetricsExporter;
import io.aviary.api.metrics.MetricsSource;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Dictionary;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics core bundle's one component: a Micrometer Prometheus registry holding the
 * broker's meters (per tenant) and the JVM's, offered as a {@link MetricsExporter} that the
 * admin API serves at /api/v5/prometheus/stats; and the $SYS topics, published through the
 * Broker service. A bundle of its own (DESIGN.md's metrics bundle) so that the admin API stays
 * an HTTP front and $SYS runs whether or not the API listener is enabled.
 */
@Component(configurationPid = MetricsComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public final class MetricsComponent implements MetricsExporter {

    public static final String PID = "aviary.sys_topics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    /** EMQX's sys_topics settings (durations arrive as milliseconds). */
    public @interface Config {
        long sys__msg__interval() default 60_000;

        boolean sys__event__messages_client__connected() default true;

        boolean sys__event__messages_client__disconnected() default true;
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Holds GC notification listeners on the JVM's beans: closed on deactivation so none leak. */
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final BrokerMeters meters;
    private final SourceMeters contributed = new SourceMeters(registry);
    private final SysTopics sys;
    private final ServiceRegistration<?> registration;

    @Activate
    public MetricsComponent(BundleContext context, Config config, @Reference Broker broker,
                            @Reference BrokerQueries queries) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        meters = new BrokerMeters(registry, queries);
        String node = context.getProperty("aviary.node.name");
        sys = new SysTopics(broker, queries, node == null ? "aviary@127.0.0.1" : node,
                context.getBundle().getVersion().toString(), config.sys__msg__interval(),
                config.sys__event__messages_client__connected(), config.sys__event__messages_client__disconnected());
        Dictionary<String, Object> props = new Hashtable<>();
        registration = context.registerService(new String[] {MetricsExporter.class.getName(),
            ClientEvents.class.getName()}, new Services(this, sys), props);
        LOG.info("metrics: Prometheus exporter ready, $SYS every {} ms", config.sys__msg__interval());
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        sys.close();
        gcMetrics.close();
        registry.close();
    }

    @Override
    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public synchronized String scrape() {
        meters.refresh();
        contributed.refresh();
        return registry.scrape();
    }

    /** Counters other bundles keep (the rule engine's), read at each scrape. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(MetricsSource source) {
        contributed.add(source);
    }

    void removeSource(MetricsSource source) {
        contributed.remove(source);
    }

    /** One service object for both interfaces: the exporter and the $SYS client notices. */
    private static final class Services implements MetricsExporter, ClientEvents {
        private final MetricsExporter exporter;
        private final ClientEvents events;

        Services(MetricsExporter exporter, ClientEvents events) {
            this.exporter = exporter;
            this.events = events;
        }

        @Override
        public String contentType() {
            return exporter.contentType();
        }

        @Override
        public String scrape() {
            return exporter.scrape();
        }

        @Override
        public void clientConnected(io.aviary.api.client.ClientInfo client, boolean cleanStart, int keepAlive,
                                    long sessionExpiry) {
            events.clientConnected(client, cleanStart, keepAlive, sessionExpiry);
        }

        @Override
        public void clientDisconnected(io.aviary.api.client.ClientInfo client, String reason) {
            events.clientDisconnected(client, reason);
        }
    }
}
