package io.aviary.loadgen;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import org.HdrHistogram.Histogram;

/**
 * What a run measured, printed as one JSON line. Rates cover the measurement window (after the
 * warm-up); totals (sent, acked, received) cover the whole run including warm-up and drain, so that
 * they can be compared with each other: received == expected_received when nothing was lost.
 */
public final class Result {
    private final Options o;
    String transport;
    double connectSeconds = -1;
    double connRate = -1;
    long rssKbBefore = -1;
    long rssKbAfter = -1;
    /** conn mode: the broker's RSS when half of the connections were up, and how many were. */
    volatile long rssKbHalfway = -1;
    volatile long connectedHalfway;
    long brokerCpuMicros = -1;
    long generatorCpuMicros = -1;
    double generatorSeconds = -1;
    double brokerCpuMicrosPerUnit = -1;

    public double windowSeconds;
    public double sentRate;
    public double ackRate;
    public double recvRate;
    private Histogram latency;

    public long connected;
    public long connFailed;
    public long sent;
    public long acked;
    public long received;
    public long expectedReceived;
    public long minReceivedPerSubscriber;
    public long errors;
    public long unexpectedCloses;
    public int publishers;
    public int subscribers;
    public int clients;

    Result(Options o) {
        this.o = o;
    }

    long warmupConnected = 0;
    long warmupFailed = 0;

    /** conn mode: connections made (and failed) during the warm-up, not part of the figures. */
    void warmupConnections(long connected, long failed) {
        warmupConnected = connected;
        warmupFailed = failed;
    }

    /** The generator's own CPU time over the measured phase: near all cores means it, not the broker, was the limit. */
    void generator(long cpuMicros, double seconds) {
        generatorCpuMicros = cpuMicros;
        generatorSeconds = seconds;
    }

    void window(Stats.Snapshot begin, Stats.Snapshot end, Histogram latency) {
        windowSeconds = (end.nanoTime() - begin.nanoTime()) / 1e9;
        sentRate = (end.sent() - begin.sent()) / windowSeconds;
        ackRate = (end.acked() - begin.acked()) / windowSeconds;
        recvRate = (end.received() - begin.received()) / windowSeconds;
        this.latency = latency;
    }

    void totals(Stats.Snapshot s, long expected, long minPerSub, int publishers, int subscribers, int clients) {
        connected = s.connected() - warmupConnected;
        connFailed = s.connFailed() - warmupFailed;
        sent = s.sent();
        acked = s.acked();
        received = s.received();
        errors = s.errors();
        unexpectedCloses = s.unexpectedCloses();
        expectedReceived = expected;
        minReceivedPerSubscriber = minPerSub;
        this.publishers = publishers;
        this.subscribers = subscribers;
        this.clients = clients;
    }

    /** Latency percentile in microseconds, -1 when nothing was measured. */
    public double latencyMicros(double percentile) {
        return latency == null || latency.getTotalCount() == 0 ? -1 : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    public JsonObject toJson() {
        JsonObject j = new JsonObject();
        j.addProperty("mode", o.mode);
        j.addProperty("host", o.host);
        j.addProperty("port", o.port);
        j.addProperty("protocol", o.version);
        j.addProperty("tls", o.tls);
        j.addProperty("qos", o.qos);
        j.addProperty("size", o.size);
        j.addProperty("transport", transport);
        j.addProperty("clients", clients);
        j.addProperty("publishers", publishers);
        j.addProperty("subscribers", subscribers);
        j.addProperty("connected", connected);
        j.addProperty("conn_failed", connFailed);
        if (connRate >= 0) {
            j.addProperty("conn_rate", round(connRate));
            j.addProperty("connect_s", round(connectSeconds));
            // conn mode's warm-up connections (opened and closed, not in connected): churn for soak.sh
            j.addProperty("warmup_connected", warmupConnected);
            j.addProperty("warmup_conn_failed", warmupFailed);
        }
        j.addProperty("warmup_s", o.warmupSeconds);
        j.addProperty("duration_s", round(windowSeconds > 0 ? windowSeconds : o.durationSeconds));
        j.addProperty("sent", sent);
        j.addProperty("acked", acked);
        j.addProperty("received", received);
        j.addProperty("expected_received", expectedReceived);
        j.addProperty("min_received_per_sub", minReceivedPerSubscriber);
        j.addProperty("sent_rate", round(sentRate));
        j.addProperty("ack_rate", round(ackRate));
        j.addProperty("recv_rate", round(recvRate));
        j.addProperty("errors", errors);
        j.addProperty("unexpected_closes", unexpectedCloses);
        JsonObject l = new JsonObject();
        l.addProperty("count", latency == null ? 0 : latency.getTotalCount());
        l.addProperty("p50", round(latencyMicros(50)));
        l.addProperty("p99", round(latencyMicros(99)));
        l.addProperty("p999", round(latencyMicros(99.9)));
        l.addProperty("max", round(latencyMicros(100)));
        l.addProperty("mean", latency == null || latency.getTotalCount() == 0 ? -1 : round(latency.getMean() / 1000.0));
        j.add("latency_us", l);
        if (generatorCpuMicros >= 0) {
            JsonObject g = new JsonObject();
            g.addProperty("cpu_us", generatorCpuMicros);
            g.addProperty("cores_used", round(generatorCpuMicros / 1e6 / generatorSeconds));
            g.addProperty("threads", o.threads);
            j.add("generator", g);
        }
        if (o.brokerPid > 0) {
            JsonObject b = new JsonObject();
            b.addProperty("pid", o.brokerPid);
            b.addProperty("cpu_us", brokerCpuMicros);
            if (generatorSeconds > 0) {
                b.addProperty("cores_used", round(brokerCpuMicros / 1e6 / generatorSeconds));
            }
            // per delivered message (per publish when nothing subscribes; per connection in conn mode)
            b.addProperty("cpu_us_per_msg", round(brokerCpuMicrosPerUnit));
            b.addProperty("rss_kb_before", rssKbBefore);
            b.addProperty("rss_kb_after", rssKbAfter);
            if (rssKbBefore > 0 && rssKbAfter > 0 && connected > 0) {
                b.addProperty("rss_kb_per_conn", round((double) (rssKbAfter - rssKbBefore) / connected));
            }
            if (rssKbHalfway > 0 && rssKbAfter > 0 && connected > connectedHalfway) {
                // the second half's growth: what each further idle connection costs, one-time costs paid
                b.addProperty("rss_kb_per_conn_second_half",
                        round((double) (rssKbAfter - rssKbHalfway) / (connected - connectedHalfway)));
            }
            j.add("broker", b);
        }
        return j;
    }

    public String toJsonLine() {
        return new Gson().toJson(toJson());
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
