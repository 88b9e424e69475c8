package io.aviary.bridge.mqtt;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Source;
import io.aviary.api.integration.SourceContext;
import io.aviary.api.message.Message;
import io.aviary.api.message.MessageProperties;
import io.aviary.api.message.UserProperty;
import io.aviary.api.rules.Templates;
import io.aviary.api.rules.TextTemplate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An mqtt source: subscribes to EMQX's parameters.topic (a filter, $share/ allowed) at
 * parameters.qos on the remote broker, with its own client, and hands every message to the runtime
 * with EMQX's columns for {@code $bridges/mqtt:<name>} (id, server, topic, qos, dup, retain,
 * payload, pub_props, message_received_at). When EMQX's (hidden) parameters.local.topic is set, the
 * message is also published to that local topic (templates topic, qos, retain, payload).
 *
 * <p>Manual acks: a QoS 1 message is acknowledged to the remote broker only after the hand-over
 * completed, in arrival order. A refused hand-over is retried with backoff (the message stays
 * unacknowledged, so the remote broker's inflight window throttles what it sends meanwhile). QoS 2
 * is subscribed as QoS 1, as EMQX does: Paho sends PUBREC on arrival, so only QoS 1 keeps the message
 * on the remote broker until it is safely here.
 */
final class MqttSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSource.class);
    private static final long MIN_RETRY_MS = 200;
    private static final long MAX_RETRY_MS = 5_000;

    private final MqttConnector connector;
    private final String sourceId;
    private final SourceContext context;
    private final String filter;
    private final int qos;
    private final boolean noLocal;
    private final boolean retainAsPublished;
    private final Local local;
    private final String logPrefix;
    private final RemoteSession session;
    private final OrderedAcks<RemoteClient.Incoming> acks;
    private volatile boolean closed;

    /** EMQX's parameters.local: where (and how) a message is published locally; null topic = rules only. */
    private record Local(TextTemplate topic, Object qos, Object retain, TextTemplate payload, boolean rawPayload) {}

    MqttSource(MqttConnector connector, String sourceId, Map<String, Object> parameters, SourceContext context) {
        this.connector = connector;
        this.sourceId = sourceId;
        this.context = context;
        this.logPrefix = "bridge-mqtt: tenant=" + context.tenant() + " source=" + sourceId;
        Object t = parameters.get("topic");
        if (!(t instanceof String ts) || ts.isBlank()) {
            throw new IllegalArgumentException("field 'parameters.topic' is required: the remote topic filter");
        }
        this.filter = ts;
        Object q = parameters.getOrDefault("qos", 1);
        int requested = q instanceof Number n ? n.intValue() : -1;
        if (requested < 0 || requested > 2) {
            throw new IllegalArgumentException("field 'parameters.qos' must be 0, 1 or 2, was " + q);
        }
        if (requested == 2) {
            LOG.warn("{} parameters.qos 2 is subscribed as 1 (as EMQX does): only QoS 1 waits for the local hand-over",
                    logPrefix);
        }
        this.qos = Math.min(1, requested);
        this.noLocal = Boolean.TRUE.equals(parameters.get("no_local"));
        this.retainAsPublished = !Boolean.FALSE.equals(parameters.get("retain_as_published"));
        this.local = local(connector.context().templates(), parameters.get("local"));
        String name = sourceId.substring(sourceId.indexOf(':') + 1);
        String clientId = connector.clientIdBase() + ":ingress:" + name;
        this.acks = new OrderedAcks<>(m -> session().client().ack(m));
        this.session = new RemoteSession(logPrefix, clientId, connector.context().scheduler(),
                l -> connector.newClient(clientId, l), new RemoteClient.Listener() {
                    @Override
                    public void arrived(RemoteClient.Incoming message) {
                        onMessage(message);
                    }

                    @Override
                    public void lost(Throwable cause) {
                    }
                }, this::subscribe);
    }

    private RemoteSession session() {
        return session;
    }

    private static Local local(Templates templates, Object value) {
        if (!(value instanceof Map<?, ?> m) || m.get("topic") == null || String.valueOf(m.get("topic")).isBlank()) {
            return null;
        }
        TextTemplate topic = MqttSink.template(templates, String.valueOf(m.get("topic")), "parameters.local.topic");
        Object qos = MqttSink.qosParameter(templates, m.get("qos") == null ? "${qos}" : m.get("qos"), "parameters.local.qos");
        Object r = m.get("retain") == null ? "${retain}" : m.get("retain");
        Object retain = r instanceof Boolean b ? b : MqttSink.template(templates, String.valueOf(r), "parameters.local.retain");
        Object p = m.get("payload");
        String payload = p == null || String.valueOf(p).isEmpty() ? "${.}" : String.valueOf(p); // EMQX: the whole message as JSON
        return new Local(topic, qos, retain, MqttSink.template(templates, payload, "parameters.local.payload"),
                payload.trim().equals("${payload}"));
    }

    MqttSource start() {
        connector.guard().sourceStarted(connector.settings().server(), filter);
        session.start();
        LOG.info("{} started: {} qos={} on {}", logPrefix, filter, qos, connector.settings().server());
        return this;
    }

    private CompletableFuture<Void> subscribe(RemoteClient client) {
        acks.clear(); // what the old connection did not acknowledge, the remote broker sends again (or dropped)
        return client.subscribe(filter, qos, noLocal, retainAsPublished).thenAccept(granted -> {
            if (granted < qos) {
                LOG.warn("{} the remote broker granted QoS {} for {} (asked {})", logPrefix, granted, filter, qos);
            }
        });
    }

    private void onMessage(RemoteClient.Incoming m) {
        String server = connector.settings().server();
        LoopGuard guard = connector.guard();
        if (guard.isEcho(server, m.topic(), m.payload(), m.userProperties(), connector.settings().mqtt5())) {
            LOG.debug("{} dropped {}: the bridge published it", logPrefix, m.topic());
            acks.arrived(m).run();
            return;
        }
        Map<String, Object> columns = columns(m, server);
        Message localMessage;
        try {
            localMessage = localMessage(m, columns);
        } catch (RuntimeException e) {
            LOG.warn("{} message on {} not published locally: {}", logPrefix, m.topic(), e.getMessage());
            localMessage = null;
        }
        guard.received(server, m.topic(), m.payload());
        Runnable done = acks.arrived(m);
        deliver(columns, localMessage, done, MIN_RETRY_MS);
    }

    private void deliver(Map<String, Object> columns, Message localMessage, Runnable done, long backoff) {
        if (closed) {
            return; // not acknowledged: the remote broker keeps it for a resumed session
        }
        CompletableFuture<Void> stage;
        try {
            stage = context.deliver(columns, localMessage).toCompletableFuture();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((v, e) -> {
            if (e == null) {
                done.run();
                return;
            }
            LOG.warn("{} hand-over of a message on {} refused, again in {} ms: {}", logPrefix, columns.get("topic"),
                    backoff, Errors.describe(e));
            long delay = backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1);
            try {
                connector.context().scheduler().schedule(
                        () -> deliver(columns, localMessage, done, Math.min(MAX_RETRY_MS, backoff * 2)), delay,
                        TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the runtime is stopping: not acknowledged
            }
        });
    }

    /** EMQX's columns of a message from an MQTT source (emqx_bridge_mqtt_ingress:import_msg). */
    private static Map<String, Object> columns(RemoteClient.Incoming m, String server) {
        Map<String, Object> c = new LinkedHashMap<>();
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        c.put("id", HexFormat.of().withUpperCase().formatHex(id));
        c.put("server", server);
        c.put("payload", new String(m.payload(), StandardCharsets.UTF_8));
        c.put("topic", m.topic());
        c.put("qos", (long) m.qos());
        c.put("dup", m.dup());
        c.put("retain", m.retain());
        c.put("pub_props", m.pubProps());
        c.put("message_received_at", System.currentTimeMillis());
        return c;
    }

    private Message localMessage(RemoteClient.Incoming m, Map<String, Object> columns) {
        if (local == null) {
            return null;
        }
        String topic = local.topic().render(columns);
        String bad = TopicFilters.invalidTopicName(topic);
        if (bad != null) {
            throw new IllegalArgumentException("parameters.local.topic: " + bad);
        }
        byte[] payload = local.rawPayload() ? m.payload() : local.payload().renderBytes(columns);
        int q = MqttSink.qos(local.qos(), columns, m.qos());
        boolean r = MqttSink.retain(local.retain(), columns);
        List<UserProperty> users = new ArrayList<>();
        m.userProperties().forEach(e -> users.add(new UserProperty(e.getKey(), e.getValue())));
        MessageProperties props = users.isEmpty() ? MessageProperties.NONE
                : new MessageProperties(null, null, null, null, null, users);
        return new Message(null, context.tenant(), topic, ByteBuffer.wrap(payload), q, r, props, null,
                System.currentTimeMillis());
    }

    @Override
    public Health health() {
        return session.health();
    }

    /** Messages handed over but not yet acknowledged (tests). */
    int unacknowledged() {
        return acks.size();
    }

    @Override
    public void close() {
        closed = true;
        connector.guard().sourceStopped(connector.settings().server(), filter);
        session.close();
        LOG.info("{} stopped", logPrefix);
    }
}
