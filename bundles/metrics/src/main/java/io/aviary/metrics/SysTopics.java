package io.aviary.metrics;

import com.google.gson.JsonObject;
import io.aviary.api.broker.Broker;
import io.aviary.api.broker.BrokerQueries;
import io.aviary.api.broker.BrokerStats;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.events.ClientEvents;
import io.aviary.api.message.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's $SYS topics, per tenant: every sys_msg_interval $SYS/brokers (the node names) and
 * $SYS/brokers/{node}/version, uptime,
 * datetime, sysdescr, stats/... and metrics/... (dots of the names become levels), and on
 * each connect and disconnect a JSON notice at $SYS/brokers/{node}/clients/{clientid}/connected
 * or /disconnected. Published at QoS 0 through the Broker service, like any platform message.
 */
final class SysTopics implements ClientEvents {

    private static final Logger LOG = LoggerFactory.getLogger(SysTopics.class);

    private final Broker broker;
    private final BrokerQueries queries;
    private final String node;
    private final String version;
    /** $SYS/brokers/{node}/ */
    private final String base;
    private final boolean connectedNotices;
    private final boolean disconnectedNotices;
    private final long startedAt = System.currentTimeMillis();
    private final ScheduledExecutorService timer;

    SysTopics(Broker broker, BrokerQueries queries, String node, String version, long intervalMs,
              boolean connectedNotices, boolean disconnectedNotices) {
        this.broker = broker;
        this.queries = queries;
        this.node = node;
        this.version = version;
        this.base = "$SYS/brokers/" + node + "/";
        this.connectedNotices = connectedNotices;
        this.disconnectedNotices = disconnectedNotices;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aviary-sys-topics");
            t.setDaemon(true);
            return t;
        });
        if (intervalMs > 0) {
            timer.scheduleAtFixedRate(this::publishAll, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
    }

    void close() {
        timer.shutdownNow();
    }

    /** One round of version, uptime, stats and metrics for every tenant. */
    void publishAll() {
        try {
            for (String tenant : queries.tenants()) {
                publishTenant(tenant);
            }
        } catch (RuntimeException e) {
            LOG.warn("$SYS publish failed: {}", e.toString());
        }
    }

    private void publishTenant(String tenant) {
        broker.publish(Message.of(tenant, "$SYS/brokers", node.getBytes(StandardCharsets.UTF_8), 0, false));
        publish(tenant, "version", version);
        publish(tenant, "uptime", String.valueOf((System.currentTimeMillis() - startedAt) / 1000));
        publish(tenant, "datetime", Instant.now().toString());
        publish(tenant, "sysdescr", "Aviary MQTT platform");
        BrokerStats s = queries.stats(tenant);
        publish(tenant, "stats/connections/count", String.valueOf(s.connections()));
        publish(tenant, "stats/sessions/count", String.valueOf(s.sessions()));
        publish(tenant, "stats/subscriptions/count", String.valueOf(s.subscriptions()));
        publish(tenant, "stats/subscriptions/shared/count", String.valueOf(s.sharedSubscriptions()));
        publish(tenant, "stats/topics/count", String.valueOf(s.topics()));
        publish(tenant, "stats/retained/count", String.valueOf(s.retained()));
        publish(tenant, "stats/delayed/count", String.valueOf(s.delayed()));
        for (Map.Entry<String, Long> e : s.counters().entrySet()) {
            publish(tenant, "metrics/" + e.getKey().replace('.', '/'), String.valueOf(e.getValue()));
        }
    }

    private void publish(String tenant, String suffix, String payload) {
        publishTo(tenant, base + suffix, payload);
    }

    private void publishTo(String tenant, String topic, String payload) {
        broker.publish(Message.of(tenant, topic, payload.getBytes(StandardCharsets.UTF_8), 0, false));
    }

    @Override
    public void clientConnected(ClientInfo client, boolean cleanStart, int keepAlive, long sessionExpiry) {
        String topic = connectedNotices ? noticeTopic(client, "connected") : null;
        if (topic == null) {
            return;
        }
        JsonObject o = common(client);
        o.addProperty("clean_start", cleanStart);
        o.addProperty("keepalive", keepAlive);
        o.addProperty("expiry_interval", sessionExpiry);
        o.addProperty("proto_ver", client.protocolVersion());
        o.addProperty("proto_name", "MQTT");
        o.addProperty("connected_at", System.currentTimeMillis());
        notice(client.tenant(), topic, o);
    }

    @Override
    public void clientDisconnected(ClientInfo client, String reason) {
        String topic = disconnectedNotices ? noticeTopic(client, "disconnected") : null;
        if (topic == null) {
            return;
        }
        JsonObject o = common(client);
        o.addProperty("reason", reason);
        o.addProperty("disconnected_at", System.currentTimeMillis());
        notice(client.tenant(), topic, o);
    }

    private static JsonObject common(ClientInfo client) {
        JsonObject o = new JsonObject();
        o.addProperty("clientid", client.clientId());
        o.addProperty("username", client.username());
        o.addProperty("ipaddress", client.peerHost());
        o.addProperty("ts", System.currentTimeMillis());
        return o;
    }

    /**
     * The topic of a notice for this client, or null when it would reach nobody: its client id must
     * be one topic level, and somebody must subscribe to the topic. Notices are not retained and rules
     * ignore $SYS, so one nobody subscribes to is dropped unseen; checking first (a topic match, on
     * the client's event loop) spares every connect and disconnect a JSON document and a hand-off.
     */
    private String noticeTopic(ClientInfo client, String what) {
        String id = client.clientId();
        if (id.isEmpty() || id.indexOf('+') >= 0 || id.indexOf('#') >= 0 || id.indexOf('/') >= 0) {
            return null; // not a single topic level: no notice topic can carry it
        }
        String topic = base + "clients/" + id + "/" + what;
        return queries.hasSubscribers(client.tenant(), topic) ? topic : null;
    }

    /** Off the I/O thread: the notice is a publish, and the event arrives on the client's event loop. */
    private void notice(String tenant, String topic, JsonObject body) {
        timer.execute(() -> {
            try {
                publishTo(tenant, topic, body.toString());
            } catch (RuntimeException e) {
                LOG.debug("$SYS notice {} failed: {}", topic, e.toString());
            }
        });
    }
}
