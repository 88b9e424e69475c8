package io.aviary.broker.message;

import io.aviary.api.message.Message;
import io.aviary.api.message.MessageProperties;
import io.aviary.api.message.UserProperty;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.PropertyId;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/** Converts messages that enter through the api (Broker.publish) into broker messages. */
public final class Messages {

    private Messages() {
    }

    public static BrokerMessage fromApi(Message m, long now) {
        return new BrokerMessage(m.tenant(), m.topic(), m.qos(), m.retain(), toMqtt(m.properties()),
                Unpooled.wrappedBuffer(m.payload().duplicate()), null, m.timestamp() > 0 ? m.timestamp() : now);
    }

    public static MqttProperties toMqtt(MessageProperties p) {
        if (p == null || p.isEmpty()) {
            return MqttProperties.EMPTY;
        }
        MqttProperties.Builder b = MqttProperties.builder();
        b.set(PropertyId.PAYLOAD_FORMAT_INDICATOR, p.payloadFormatIndicator());
        b.set(PropertyId.MESSAGE_EXPIRY_INTERVAL, p.messageExpiryInterval());
        b.set(PropertyId.CONTENT_TYPE, p.contentType());
        b.set(PropertyId.RESPONSE_TOPIC, p.responseTopic());
        if (p.correlationData() != null) {
            ByteBuffer c = p.correlationData().duplicate();
            byte[] bytes = new byte[c.remaining()];
            c.get(bytes);
            b.set(PropertyId.CORRELATION_DATA, bytes);
        }
        for (UserProperty u : p.userProperties()) {
            b.userProperty(u.key(), u.value());
        }
        return b.build();
    }
}
