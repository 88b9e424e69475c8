package io.aviary.mqtt.codec;

/** PINGRESP: no content, so one shared instance. */
public record PingRespPacket() implements MqttPacket {
    public static final PingRespPacket INSTANCE = new PingRespPacket();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
