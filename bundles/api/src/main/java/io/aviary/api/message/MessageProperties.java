package io.aviary.api.message;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The MQTT 5 properties a message carries end to end. Absent values are null;
 * under MQTT 3.1.1 everything is absent except what the broker derives itself.
 *
 * @param payloadFormatIndicator 0 unspecified bytes, 1 UTF-8; null when absent
 * @param messageExpiryInterval seconds, null when the message does not expire
 * @param correlationData read-only, may be null
 */
public record MessageProperties(
        Integer payloadFormatIndicator,
        Long messageExpiryInterval,
        String contentType,
        String responseTopic,
        ByteBuffer correlationData,
        List<UserProperty> userProperties) {

    public static final MessageProperties NONE = new MessageProperties(null, null, null, null, null, List.of());

    public MessageProperties {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
        correlationData = correlationData == null ? null : correlationData.asReadOnlyBuffer();
    }

    public boolean isEmpty() {
        return payloadFormatIndicator == null && messageExpiryInterval == null && contentType == null
                && responseTopic == null && correlationData == null && userProperties.isEmpty();
    }

    /** The same properties with another expiry interval (used when forwarding, which decrements it). */
    public MessageProperties withMessageExpiryInterval(Long seconds) {
        return new MessageProperties(payloadFormatIndicator, seconds, contentType, responseTopic, correlationData, userProperties);
    }
}
