package io.aviary.mqtt.codec;

/** PINGREQ: no content, so one shared instance. */
public record PingReqPacket() implements MqttPacket {
    public static final PingReqPacket INSTANCE = new PingReqPacket();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
