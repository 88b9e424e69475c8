package io.aviary.broker.testing;

import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.SubscribePacket;
import io.aviary.mqtt.codec.Subscription;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Short constructors for the packets tests send. */
public final class Packets {

    private Packets() {
    }

    public static PublishPacket publish(String topic, int qos, int id, String payload) {
        return publish(topic, qos, id, payload, false, MqttProperties.EMPTY);
    }

    public static PublishPacket publish(String topic, int qos, int id, String payload, boolean retain,
                                        MqttProperties props) {
        return new PublishPacket(topic, qos, retain, false, qos == 0 ? 0 : id, props,
                Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
    }

    public static SubscribePacket subscribe(int id, String filter, int qos) {
        return new SubscribePacket(id, List.of(new Subscription(filter, qos)), MqttProperties.EMPTY);
    }

    public static SubscribePacket subscribe(int id, Subscription s, MqttProperties props) {
        return new SubscribePacket(id, List.of(s), props);
    }

    /** The payload as text, releasing the packet. */
    public static String text(PublishPacket p) {
        try {
            return p.payload().toString(StandardCharsets.UTF_8);
        } finally {
            p.release();
        }
    }
}
