package io.aviary.bridge.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.aviary.api.integration.SinkException;
import io.aviary.api.rules.Templates;
import io.aviary.api.rules.TextTemplate;
import io.aviary.plugin.client.ConfigValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rabbitmq action's parameters (EMQX 5's: exchange, routing_key, payload_template,
 * delivery_mode, wait_for_publish_confirmations, publish_confirmation_timeout, headers_template,
 * properties_template), parsed once, rendered per record into one AMQP message.
 */
final class PublishTemplate {

    /** One rendered message. */
    record Rendered(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {}

    private record KeyValue(TextTemplate key, TextTemplate value) {}

    private record Property(String name, TextTemplate value) {}

    private static final java.util.Set<String> PROPERTY_NAMES = java.util.Set.of("app_id", "cluster_id",
            "content_encoding", "content_type", "correlation_id", "expiration", "message_id", "reply_to", "timestamp",
            "type", "user_id");

    private final TextTemplate exchange;
    private final TextTemplate routingKey;
    private final TextTemplate payload;
    private final int deliveryMode;
    private final boolean waitForConfirms;
    private final Duration confirmTimeout;
    private final List<KeyValue> headers = new ArrayList<>();
    private final List<Property> properties = new ArrayList<>();

    PublishTemplate(Templates templates, Map<String, Object> parameters) {
        exchange = parse(templates, "exchange", ConfigValues.string(parameters, "exchange", ""));
        String rk = ConfigValues.string(parameters, "routing_key", null);
        if (rk == null) {
            throw new IllegalArgumentException("field 'parameters.routing_key' is required");
        }
        routingKey = parse(templates, "routing_key", rk);
        String p = ConfigValues.string(parameters, "payload_template", "");
        // EMQX: an empty payload template sends the rule's whole output as JSON
        payload = parse(templates, "payload_template", p.isEmpty() ? "${.}" : p);
        deliveryMode = "persistent".equals(ConfigValues.string(parameters, "delivery_mode", "non_persistent")) ? 2 : 1;
        waitForConfirms = ConfigValues.bool(parameters, "wait_for_publish_confirmations", true);
        confirmTimeout = ConfigValues.duration(parameters, "publish_confirmation_timeout", Duration.ofSeconds(30));
        for (Map<String, Object> kv : list(parameters, "headers_template")) {
            headers.add(new KeyValue(parse(templates, "headers_template.key", ConfigValues.string(kv, "key", "")),
                    parse(templates, "headers_template.value", ConfigValues.string(kv, "value", ""))));
        }
        for (Map<String, Object> kv : list(parameters, "properties_template")) {
            String name = ConfigValues.string(kv, "key", "");
            if (!PROPERTY_NAMES.contains(name)) {
                throw new IllegalArgumentException("field 'parameters.properties_template' has an unknown key '" + name + "'");
            }
            properties.add(new Property(name,
                    parse(templates, "properties_template.value", ConfigValues.string(kv, "value", ""))));
        }
    }

    boolean waitForConfirms() {
        return waitForConfirms;
    }

    Duration confirmTimeout() {
        return confirmTimeout;
    }

    Rendered render(Map<String, Object> record) {
        AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder().deliveryMode(deliveryMode);
        if (!headers.isEmpty()) {
            Map<String, Object> h = new LinkedHashMap<>();
            for (KeyValue kv : headers) {
                h.put(kv.key().render(record), kv.value().render(record));
            }
            b.headers(h);
        }
        for (Property p : properties) {
            setProperty(b, p.name(), p.value().render(record));
        }
        return new Rendered(exchange.render(record), routingKey.render(record), b.build(), payload.renderBytes(record));
    }

    private static void setProperty(AMQP.BasicProperties.Builder b, String name, String v) {
        switch (name) {
            case "app_id" -> b.appId(v);
            case "cluster_id" -> b.clusterId(v);
            case "content_encoding" -> b.contentEncoding(v);
            case "content_type" -> b.contentType(v);
            case "correlation_id" -> b.correlationId(v);
            case "expiration" -> b.expiration(v);
            case "message_id" -> b.messageId(v);
            case "reply_to" -> b.replyTo(v);
            case "type" -> b.type(v);
            case "user_id" -> b.userId(v);
            case "timestamp" -> {
                try {
                    b.timestamp(new Date(Long.parseLong(v.trim()) * 1000)); // AMQP timestamps are seconds
                } catch (NumberFormatException e) {
                    throw SinkException.fatal("properties_template timestamp is not an integer: '" + v + "'", e);
                }
            }
            default -> throw new IllegalArgumentException("field 'parameters.properties_template' has an unknown key '" + name + "'");
        }
    }

    private static TextTemplate parse(Templates templates, String field, String text) {
        try {
            return templates.text(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'parameters." + field + "': " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parameters, String key) {
        Object v = parameters.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("field 'parameters." + key + "' must be a list of {key, value}");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("field 'parameters." + key + "' must be a list of {key, value}");
            }
            out.add((Map<String, Object>) o);
        }
        return out;
    }
}
