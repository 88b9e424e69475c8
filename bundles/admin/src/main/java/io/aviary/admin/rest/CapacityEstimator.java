package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.api.broker.BrokerStats;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * GET /tenants/{id}/capacity: from the node's measured cost per message (process CPU time per
 * message received or sent, over a window of at least 10 s and 10 000 messages) and per session
 * (heap in use per session, once there are 1 000), the node's capacity at 70 % utilisation, its
 * headroom, the tenant's share, and the nodes a cluster would need for the tenant alone. Costs
 * not yet measurable are reported as null with the reason, never guessed. docs/capacity.md
 * gives the model.
 */
final class CapacityEstimator {

    static final double TARGET_UTILISATION = 0.7;
    private static final long MIN_WINDOW_NANOS = 10_000_000_000L;
    private static final long MIN_MESSAGES = 10_000;
    private static final long MIN_SESSIONS = 1_000;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final Map<String, long[]> tenantLast = new HashMap<>(); // tenant -> {nanos, messages}
    private final Map<String, Double> tenantRate = new HashMap<>();
    private long lastAt;
    private long lastCpu;
    private long lastMessages;
    private Double cpuUsPerMessage;
    private double nodeRate;

    synchronized JsonObject estimate(String tenant, BrokerStats node, BrokerStats mine) {
        long now = System.nanoTime();
        long cpu = processCpuNanos();
        long messages = messages(node);
        if (lastAt == 0) {
            lastAt = now;
            lastCpu = cpu;
            lastMessages = messages;
        } else if (now - lastAt >= MIN_WINDOW_NANOS) {
            long dm = messages - lastMessages;
            nodeRate = dm * 1e9 / (now - lastAt);
            if (dm >= MIN_MESSAGES && cpu >= 0) {
                cpuUsPerMessage = (cpu - lastCpu) / 1000.0 / dm;
            }
            lastAt = now;
            lastCpu = cpu;
            lastMessages = messages;
        }
        double myRate = rate(tenant, now, messages(mine));

        int cpus = os.getAvailableProcessors();
        long heapMax = memory.getHeapMemoryUsage().getMax();
        long heapUsed = memory.getHeapMemoryUsage().getUsed();
        Double bytesPerSession = node.sessions() >= MIN_SESSIONS ? (double) heapUsed / node.sessions() : null;

        JsonObject cost = new JsonObject();
        cost.addProperty("cpu_us_per_message", cpuUsPerMessage == null ? null : round(cpuUsPerMessage));
        cost.addProperty("heap_bytes_per_session", bytesPerSession == null ? null : Math.round(bytesPerSession));
        cost.addProperty("basis", (cpuUsPerMessage == null ? "cpu cost not measured yet (needs " + MIN_MESSAGES
                + " messages within a window of 10 s or more, between two calls)" : "cpu cost measured on this node")
                + "; " + (bytesPerSession == null ? "session cost not measured yet (needs " + MIN_SESSIONS + " sessions)"
                : "heap in use per session on this node"));

        Double msgCapacity = cpuUsPerMessage == null || cpuUsPerMessage <= 0 ? null
                : cpus * 1e6 / cpuUsPerMessage * TARGET_UTILISATION;
        Double sessionCapacity = bytesPerSession == null || heapMax <= 0 ? null
                : heapMax * TARGET_UTILISATION / bytesPerSession;
        JsonObject nodeJson = new JsonObject();
        nodeJson.addProperty("cpus", cpus);
        nodeJson.addProperty("heap_max_bytes", heapMax);
        nodeJson.addProperty("sessions", node.sessions());
        nodeJson.addProperty("connections", node.connections());
        nodeJson.addProperty("messages_per_second", round(nodeRate));
        nodeJson.addProperty("message_capacity_per_second", msgCapacity == null ? null : Math.round(msgCapacity));
        nodeJson.addProperty("session_capacity", sessionCapacity == null ? null : Math.round(sessionCapacity));
        nodeJson.addProperty("message_headroom_per_second", msgCapacity == null ? null : Math.round(msgCapacity - nodeRate));
        nodeJson.addProperty("session_headroom", sessionCapacity == null ? null
                : Math.round(sessionCapacity - node.sessions()));

        JsonObject tenantJson = new JsonObject();
        tenantJson.addProperty("sessions", mine.sessions());
        tenantJson.addProperty("connections", mine.connections());
        tenantJson.addProperty("messages_per_second", round(myRate));
        tenantJson.addProperty("share_of_message_capacity", msgCapacity == null ? null : round(myRate / msgCapacity));
        tenantJson.addProperty("share_of_session_capacity", sessionCapacity == null ? null
                : round(mine.sessions() / sessionCapacity));
        Integer nodes = null;
        if (msgCapacity != null || sessionCapacity != null) {
            double need = Math.max(msgCapacity == null ? 0 : myRate / msgCapacity,
                    sessionCapacity == null ? 0 : mine.sessions() / sessionCapacity);
            nodes = Math.max(1, (int) Math.ceil(need));
        }
        tenantJson.addProperty("nodes_needed", nodes);

        JsonObject out = new JsonObject();
        out.addProperty("tenant", tenant);
        out.addProperty("target_utilisation", TARGET_UTILISATION);
        out.add("cost", cost);
        out.add("node", nodeJson);
        out.add("tenant_usage", tenantJson);
        return out;
    }

    /** The tenant's messages per second between this call and its previous one (0 on the first). */
    private double rate(String tenant, long now, long messages) {
        long[] last = tenantLast.get(tenant);
        tenantLast.put(tenant, new long[] {now, messages});
        if (last != null && now - last[0] >= 1_000_000_000L) {
            tenantRate.put(tenant, (messages - last[1]) * 1e9 / (now - last[0]));
        } else if (last != null) {
            tenantLast.put(tenant, last); // keep the older reading for a window of at least a second
        }
        return tenantRate.getOrDefault(tenant, 0.0);
    }

    private static long messages(BrokerStats s) {
        return s.counters().getOrDefault("messages.received", 0L) + s.counters().getOrDefault("messages.sent", 0L);
    }

    /** Through the platform MBean server: javax.management is visible in OSGi where com.sun.management may not be. */
    private static long processCpuNanos() {
        try {
            Object v = ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new javax.management.ObjectName("java.lang:type=OperatingSystem"), "ProcessCpuTime");
            return v instanceof Number n ? n.longValue() : -1;
        } catch (javax.management.JMException | RuntimeException e) {
            return -1;
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
