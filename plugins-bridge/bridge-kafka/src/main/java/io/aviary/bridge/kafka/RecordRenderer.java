package io.aviary.bridge.kafka;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import io.aviary.api.integration.SinkException;
import io.aviary.api.rules.Templates;
import io.aviary.api.rules.TextTemplate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * An action's templates (EMQX's parameters.topic, message.key/value/timestamp, kafka_headers and
 * kafka_ext_headers), parsed once, rendered per rule output into what a Kafka record is made of.
 */
final class RecordRenderer {
    /** Integers in JSON text stay integers (2, not 2.0) when headers are read from it. */
    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

    private final TextTemplate topic;
    private final TextTemplate key;
    private final TextTemplate value;
    private final TextTemplate timestamp;
    private final TextTemplate headers;
    private final List<TextTemplate[]> extHeaders = new ArrayList<>();
    private final boolean jsonHeaderValues;

    RecordRenderer(Templates templates, ConfigValues params) {
        topic = parse(templates, params, "topic", null);
        ConfigValues message = params.object("message");
        key = parse(templates, message, "key", "${.clientid}");
        value = parse(templates, message, "value", "${.}");
        timestamp = parse(templates, message, "timestamp", "${.timestamp}");
        String headersText = params.text("kafka_headers", null);
        if (headersText != null && !headersText.isBlank()) {
            headers = parse(templates, params, "kafka_headers", null);
            if (headers.placeholders().size() != 1 || !headersText.trim().startsWith("${") || !headersText.trim().endsWith("}")) {
                throw new IllegalArgumentException(params.field("kafka_headers")
                        + ": must be a single placeholder like ${pub_props}");
            }
        } else {
            headers = null;
        }
        int i = 0;
        for (Map<String, Object> ext : params.objects("kafka_ext_headers")) {
            ConfigValues e = new ConfigValues(ext, params.field("kafka_ext_headers") + "[" + i++ + "]");
            extHeaders.add(new TextTemplate[] {
                parse(templates, e, "kafka_ext_header_key", null), parse(templates, e, "kafka_ext_header_value", null)});
        }
        jsonHeaderValues = "json".equals(params.oneOf("kafka_header_value_encode_mode", "none", List.of("none", "json")));
    }

    private static TextTemplate parse(Templates templates, ConfigValues values, String key, String fallback) {
        return TemplateText.parse(templates, values, key, fallback);
    }

    boolean constantKey() {
        return key.isConstant() && key.source().isEmpty();
    }

    String topic(Map<String, Object> record) {
        return topic.render(record);
    }

    byte[] key(Map<String, Object> record) {
        return key.renderBytes(record);
    }

    byte[] value(Map<String, Object> record) {
        return value.renderBytes(record);
    }

    /** Epoch milliseconds, or null (the producer's clock) when the template gives no number. */
    Long timestamp(Map<String, Object> record) {
        Object v = timestamp.value(record);
        if (v instanceof Number n) {
            return n.longValue() >= 0 ? n.longValue() : null;
        }
        if (v instanceof String s) {
            try {
                long ms = Long.parseLong(s.trim());
                return ms >= 0 ? ms : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    List<Header> headers(Map<String, Object> record) {
        List<Header> out = new ArrayList<>();
        if (headers != null) {
            addHeaders(out, headers.value(record));
        }
        for (TextTemplate[] ext : extHeaders) {
            out.add(header(ext[0].render(record), ext[1].value(record)));
        }
        return out;
    }

    /**
     * As EMQX: a map gives one header per entry; a list holds {key, value} objects or one-entry
     * objects; text is read as JSON of either; a missing field gives none. Anything else fails
     * the record (not retried).
     */
    private void addHeaders(List<Header> out, Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof String text) {
            try {
                v = GSON.fromJson(text, Object.class);
            } catch (RuntimeException e) {
                v = text;
            }
        }
        if (v instanceof Map<?, ?> map) {
            map.forEach((k, val) -> out.add(header(String.valueOf(k), val)));
        } else if (v instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> kv && kv.containsKey("key") && kv.containsKey("value")) {
                    out.add(header(String.valueOf(kv.get("key")), kv.get("value")));
                } else if (item instanceof Map<?, ?> kv) {
                    kv.forEach((k, val) -> out.add(header(String.valueOf(k), val)));
                } else {
                    throw SinkException.fatal("parameters.kafka_headers: not a header: " + GSON.toJson(item), null);
                }
            }
        } else {
            throw SinkException.fatal("parameters.kafka_headers: rendered neither an object nor a list: " + GSON.toJson(v), null);
        }
    }

    private Header header(String name, Object v) {
        String text;
        if (jsonHeaderValues) {
            text = GSON.toJson(v);
        } else if (v == null) {
            text = "";
        } else if (v instanceof String s) {
            text = s;
        } else if (v instanceof Map || v instanceof List) {
            text = GSON.toJson(v);
        } else if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            text = String.valueOf(d.longValue());
        } else {
            text = String.valueOf(v);
        }
        return new RecordHeader(name, text.getBytes(StandardCharsets.UTF_8));
    }
}
