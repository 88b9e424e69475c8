package io.aviary.mqtt.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT: the first packet of every connection. {@code cleanStart} is Clean Session under
 * 3.1/3.1.1. {@code username}, {@code password} and {@code will} are null when absent.
 *
 * @param keepAlive seconds, 0..65535
 * @param properties CONNECT properties (MQTT 5), never null
 */
public record ConnectPacket(MqttVersion version, String clientId, boolean cleanStart, int keepAlive,
                            String username, byte[] password, Will will, MqttProperties properties)
        implements MqttPacket {

    public ConnectPacket {
        Objects.requireNonNull(version, "version");
        clientId = clientId == null ? "" : clientId;
        properties = properties == null ? MqttProperties.EMPTY : properties;
        if (keepAlive < 0 || keepAlive > 0xFFFF) {
            throw new IllegalArgumentException("keepAlive " + keepAlive);
        }
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectPacket c && version == c.version && clientId.equals(c.clientId)
                && cleanStart == c.cleanStart && keepAlive == c.keepAlive && Objects.equals(username, c.username)
                && Arrays.equals(password, c.password) && Objects.equals(will, c.will)
                && properties.equals(c.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, clientId, cleanStart, keepAlive, username, Arrays.hashCode(password), will, properties);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "ConnectPacket[version=" + version + ", clientId=" + clientId + ", cleanStart=" + cleanStart
                + ", keepAlive=" + keepAlive + ", username=" + username + ", password="
                + (password == null ? "null" : "***") + ", will=" + will + ", properties=" + properties + "]";
    }
}
