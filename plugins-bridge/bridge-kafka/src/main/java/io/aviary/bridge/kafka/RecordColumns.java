package io.aviary.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A consumed Kafka record as rules see it, with EMQX's column names: topic, key, value, headers,
 * offset, partition, ts and ts_type ("create", "append" or "undefined"). Key and value are text,
 * or base64 when the source's key_encoding_mode / value_encoding_mode says so.
 */
final class RecordColumns {
    private final boolean keyBase64;
    private final boolean valueBase64;

    RecordColumns(boolean keyBase64, boolean valueBase64) {
        this.keyBase64 = keyBase64;
        this.valueBase64 = valueBase64;
    }

    Map<String, Object> columns(ConsumerRecord<byte[], byte[]> record) {
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("topic", record.topic());
        c.put("key", encode(record.key(), keyBase64));
        c.put("value", encode(record.value(), valueBase64));
        c.put("headers", headers);
        c.put("offset", record.offset());
        c.put("partition", (long) record.partition());
        c.put("ts", record.timestamp());
        c.put("ts_type", switch (record.timestampType()) {
            case CREATE_TIME -> "create";
            case LOG_APPEND_TIME -> "append";
            default -> "undefined";
        });
        return c;
    }

    private static String encode(byte[] bytes, boolean base64) {
        if (bytes == null) {
            return "";
        }
        return base64 ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8);
    }
}
