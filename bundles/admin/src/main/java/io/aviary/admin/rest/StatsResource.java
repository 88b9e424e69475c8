package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.api.broker.BrokerStats;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * EMQX's node statistics: GET /stats (counts), GET /metrics (counters), GET /nodes (the node
 * and its JVM) and GET /monitor_current (counts plus message rates per second). One node, so
 * stats and metrics answer EMQX's per-node array, or one object with ?aggregate=true.
 */
@TenantScoped
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public final class StatsResource {

    private final Services services;
    private final String node;
    private final String version;
    private final long startedAt = System.currentTimeMillis();
    private final RateMeter rates = new RateMeter();

    public StatsResource(Services services, String node, String version) {
        this.services = services;
        this.node = node;
        this.version = version;
    }

    @GET
    @Path("stats")
    @ApiDoc(summary = "Counts: connections, sessions, subscriptions, topics, retained, delayed", query = {"aggregate"})
    public Object stats(@QueryParam("aggregate") String aggregate) {
        BrokerStats s = stats();
        JsonObject o = new JsonObject();
        o.addProperty("connections.count", s.connections());
        o.addProperty("live_connections.count", s.connections());
        o.addProperty("sessions.count", s.sessions());
        o.addProperty("subscriptions.count", s.subscriptions());
        o.addProperty("subscriptions.shared.count", s.sharedSubscriptions());
        o.addProperty("suboptions.count", s.subscriptions());
        o.addProperty("topics.count", s.topics());
        o.addProperty("retained.count", s.retained());
        o.addProperty("delayed.count", s.delayed());
        return perNode(o, aggregate);
    }

    @GET
    @Path("metrics")
    @ApiDoc(summary = "Counters since start: messages, packets, deliveries dropped by reason", query = {"aggregate"})
    public Object metrics(@QueryParam("aggregate") String aggregate) {
        JsonObject o = new JsonObject();
        new TreeMap<>(stats().counters()).forEach(o::addProperty);
        return perNode(o, aggregate);
    }

    @GET
    @Path("nodes")
    @ApiDoc(summary = "The nodes of the cluster (this one) with version, uptime and memory")
    public JsonArray nodes() {
        Runtime rt = Runtime.getRuntime();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        JsonObject o = new JsonObject();
        o.addProperty("node", node);
        o.addProperty("node_status", "running");
        o.addProperty("version", version);
        o.addProperty("edition", "Opensource");
        o.addProperty("role", "core");
        o.addProperty("uptime", System.currentTimeMillis() - startedAt);
        o.addProperty("connections", stats().connections());
        o.addProperty("live_connections", stats().connections());
        o.addProperty("memory_total", rt.totalMemory());
        o.addProperty("memory_used", rt.totalMemory() - rt.freeMemory());
        o.addProperty("load1", os.getSystemLoadAverage());
        o.addProperty("cpus", rt.availableProcessors());
        o.addProperty("java_version", System.getProperty("java.version"));
        JsonArray out = new JsonArray();
        out.add(o);
        return out;
    }

    @GET
    @Path("monitor_current")
    @ApiDoc(summary = "Current counts and message rates per second")
    public JsonObject monitorCurrent() {
        BrokerStats s = stats();
        Map<String, Double> r = rates.rates(s.counters(), System.nanoTime());
        JsonObject o = new JsonObject();
        o.addProperty("connections", s.connections());
        o.addProperty("live_connections", s.connections());
        o.addProperty("sessions", s.sessions());
        o.addProperty("subscriptions", s.subscriptions());
        o.addProperty("topics", s.topics());
        o.addProperty("retained_msg_count", s.retained());
        o.addProperty("received_msg_rate", r.getOrDefault("messages.received", 0.0));
        o.addProperty("sent_msg_rate", r.getOrDefault("messages.sent", 0.0));
        o.addProperty("dropped_msg_rate", r.getOrDefault("messages.dropped", 0.0));
        return o;
    }

    private BrokerStats stats() {
        // EMQX's /stats and /metrics describe the node; a tenant's key (or ?tenant=) gets its tenant's figures
        return services.queries().stats(TenantScope.currentOrNode());
    }

    private Object perNode(JsonObject o, String aggregate) {
        if (aggregate != null && ClientFilter.bool("aggregate", aggregate)) {
            return o;
        }
        o.addProperty("node", node);
        JsonArray out = new JsonArray();
        out.add(o);
        return out;
    }
}
