package io.aviary.bridge.mqtt;

import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import io.aviary.api.rules.Templates;
import io.aviary.api.rules.TextTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An mqtt action: EMQX's parameters topic, qos, retain and payload (templates over the rule's
 * output; no payload means the whole output as JSON, as in EMQX). A batch goes out on one egress
 * client, in order, and completes when the remote broker acknowledged every message (PUBACK for
 * QoS 1, PUBCOMP for QoS 2; written for QoS 0). Failures: not connected, connection lost, timeout,
 * or the remote broker busy/over quota are retryable; a record that renders an unusable topic, qos
 * or retain, or a message the remote broker refuses (MQTT 5 reason code, e.g. not authorized), is not.
 */
final class MqttSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSink.class);
    /** A publish not acknowledged by then fails (retryable): a half-open connection must not hold a batch forever. */
    static final long PUBLISH_TIMEOUT_MS = 30_000;

    private final MqttConnector connector;
    private final String actionId;
    private final TextTemplate topic;
    private final Object qos; // Integer or TextTemplate
    private final Object retain; // Boolean or TextTemplate
    private final TextTemplate payload;
    private final boolean mqtt5;
    private final String logPrefix;

    /** One record, rendered. */
    private record Out(String topic, byte[] payload, int qos, boolean retain) {}

    MqttSink(MqttConnector connector, String actionId, Map<String, Object> parameters) {
        this.connector = connector;
        this.actionId = actionId;
        this.mqtt5 = connector.settings().mqtt5();
        this.logPrefix = "bridge-mqtt: tenant=" + connector.context().tenant() + " action=" + actionId;
        Templates templates = connector.context().templates();
        Object t = parameters.get("topic");
        if (!(t instanceof String ts) || ts.isBlank()) {
            throw new IllegalArgumentException("field 'parameters.topic' is required: the remote topic (a template)");
        }
        this.topic = template(templates, ts, "parameters.topic");
        this.qos = qosParameter(templates, parameters.getOrDefault("qos", 1), "parameters.qos");
        Object r = parameters.getOrDefault("retain", false);
        if (r instanceof Boolean b) {
            this.retain = b;
        } else if (r instanceof String rs) {
            this.retain = rs.equals("true") || rs.equals("false") ? Boolean.valueOf(rs) : template(templates, rs, "parameters.retain");
        } else {
            throw new IllegalArgumentException("field 'parameters.retain' must be true, false or a template, was " + r);
        }
        Object p = parameters.get("payload");
        this.payload = template(templates, p == null || String.valueOf(p).isEmpty() ? "${.}" : String.valueOf(p), "parameters.payload");
    }

    static TextTemplate template(Templates templates, String text, String field) {
        try {
            return templates.text(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "': " + e.getMessage(), e);
        }
    }

    static Object qosParameter(Templates templates, Object q, String field) {
        if (q instanceof Number n) {
            int v = n.intValue();
            if (v < 0 || v > 2 || n.doubleValue() != v) {
                throw new IllegalArgumentException("field '" + field + "' must be 0, 1, 2 or a template, was " + q);
            }
            return v;
        }
        if (q instanceof String s) {
            if (s.matches("[012]")) {
                return Integer.parseInt(s);
            }
            return template(templates, s, field);
        }
        throw new IllegalArgumentException("field '" + field + "' must be 0, 1, 2 or a template, was " + q);
    }

    /** A qos template's value for one record: 0, 1 or 2, else the record is unusable. */
    static int qos(Object qos, Map<String, Object> record, int fallback) {
        if (qos instanceof Integer i) {
            return i;
        }
        Object v = ((TextTemplate) qos).value(record);
        if (v == null) {
            return fallback;
        }
        String s = String.valueOf(v).trim();
        if (v instanceof Double d && d == Math.rint(d)) {
            s = String.valueOf(d.longValue());
        }
        return switch (s) {
            case "0" -> 0;
            case "1" -> 1;
            case "2" -> 2;
            default -> throw new IllegalArgumentException("qos must be 0, 1 or 2, was '" + s + "'");
        };
    }

    static boolean retain(Object retain, Map<String, Object> record) {
        if (retain instanceof Boolean b) {
            return b;
        }
        Object v = ((TextTemplate) retain).value(record);
        if (v == null) {
            return false;
        }
        String s = String.valueOf(v).trim();
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("retain must be true or false, was '" + s + "'");
    }

    @Override
    public CompletionStage<Void> send(List<Map<String, Object>> records) {
        List<Out> outs = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                outs.add(render(records.get(i)));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(SinkException.fatal("record " + (i + 1) + " of " + records.size()
                        + ": " + e.getMessage(), e));
            }
        }
        int k = connector.pick();
        if (k < 0) {
            return CompletableFuture.failedFuture(SinkException.retryable(connector.notConnectedReason(), null));
        }
        RemoteSession session = connector.session(k);
        InflightGate gate = connector.gate(k);
        LoopGuard guard = connector.guard();
        String server = connector.settings().server();
        List<CompletableFuture<Void>> acks = new ArrayList<>(outs.size());
        for (Out o : outs) {
            if (guard.isBounce(server, o.topic(), o.payload())) {
                LOG.debug("{} not sending {} back to {}: it came in from there", logPrefix, o.topic(), server);
                continue;
            }
            acks.add(gate.acquire().thenCompose(v -> publish(session, o)).whenComplete((v, e) -> gate.release()));
        }
        return CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).handle((v, e) -> {
            if (e != null) {
                throw classify(Errors.unwrap(e));
            }
            return null;
        });
    }

    private Out render(Map<String, Object> record) {
        String t = topic.render(record);
        String bad = TopicFilters.invalidTopicName(t);
        if (bad != null) {
            throw new IllegalArgumentException("parameters.topic rendered an unusable topic: " + bad);
        }
        return new Out(t, payload.renderBytes(record), qos(qos, record, 0), retain(retain, record));
    }

    private CompletableFuture<Void> publish(RemoteSession session, Out o) {
        if (mqtt5) {
            return session.client().publish(o.topic(), o.payload(), o.qos(), o.retain(),
                    List.of(connector.guard().markerProperty())).orTimeout(PUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        String server = connector.settings().server();
        connector.guard().published(server, o.topic(), o.payload()); // before: the echo can be quicker than the ack
        return session.client().publish(o.topic(), o.payload(), o.qos(), o.retain(), List.of())
                .orTimeout(PUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        connector.guard().publishFailed(server, o.topic(), o.payload());
                    }
                });
    }

    private SinkException classify(Throwable e) {
        if (e instanceof SinkException se) {
            return se;
        }
        if (e instanceof RemoteClient.PublishRefused refused) {
            // 0x89 server busy, 0x91 packet identifier in use (a restarted client), 0x97 quota exceeded: try again
            boolean retry = refused.reasonCode == 0x89 || refused.reasonCode == 0x91 || refused.reasonCode == 0x97;
            LOG.warn("{} {}", logPrefix, refused.getMessage());
            return new SinkException(refused.getMessage(), retry, refused);
        }
        if (e instanceof TimeoutException) {
            return SinkException.retryable("no acknowledgement from " + connector.settings().server() + " within "
                    + PUBLISH_TIMEOUT_MS / 1000 + " s", e);
        }
        return SinkException.retryable("publish to " + connector.settings().server() + " failed: " + Errors.describe(e), e);
    }

    @Override
    public String toString() {
        return actionId;
    }
}
