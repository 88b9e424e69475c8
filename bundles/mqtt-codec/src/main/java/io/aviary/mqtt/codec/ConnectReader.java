package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Decodes a CONNECT body (spec 3.1). CONNECT gets its own reader because its errors matter
 * most: the protocol level is reported (through {@code onVersion}) as soon as it is read, so
 * that the broker can answer even a broken CONNECT with a CONNACK in the client's version.
 */
final class ConnectReader {
    private ConnectReader() {
    }

    static ConnectPacket read(ByteBuf in, Consumer<MqttVersion> onVersion) {
        MqttVersion version = readVersion(in);
        onVersion.accept(version);
        int flags = Fields.readByte(in, "connect flags");
        checkFlags(flags, version);
        int keepAlive = Fields.readShort(in, "keep alive");
        MqttProperties props = version.isV5() ? PropertiesCodec.read(in, PacketType.CONNECT, false) : MqttProperties.EMPTY;
        checkAuthProperties(props);
        boolean cleanStart = (flags & 0x02) != 0;
        String clientId = Fields.readString(in, "client identifier");
        checkClientId(clientId, cleanStart, version);
        Will will = (flags & 0x04) != 0 ? readWill(in, flags, version) : null;
        String username = (flags & 0x80) != 0 ? Fields.readString(in, "user name") : null;
        byte[] password = (flags & 0x40) != 0 ? Fields.readBinary(in, "password") : null;
        return new ConnectPacket(version, clientId, cleanStart, keepAlive, username, password, will, props);
    }

    /** Protocol name and level; an unknown pair is 0x84 Unsupported Protocol Version. */
    private static MqttVersion readVersion(ByteBuf in) {
        String name = Fields.readString(in, "protocol name");
        int level = Fields.readByte(in, "protocol level");
        if (!name.equals("MQTT") && !name.equals("MQIsdp")) {
            throw DecodeException.protocolError("unknown protocol name '" + name + "' [MQTT-3.1.2-1]");
        }
        for (MqttVersion v : MqttVersion.values()) {
            if (v.level() == level && v.protocolName().equals(name)) {
                return v;
            }
        }
        throw new DecodeException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                "unsupported protocol level " + level + " for protocol name '" + name + "' [MQTT-3.1.2-2]");
    }

    private static void checkFlags(int flags, MqttVersion version) {
        if ((flags & 0x01) != 0) {
            throw DecodeException.malformed("CONNECT reserved flag is set [MQTT-3.1.2-3]");
        }
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        if (willQos == 3) {
            throw DecodeException.malformed("will QoS 3 [MQTT-3.1.2-12]");
        }
        if (!willFlag && willQos != 0) {
            throw DecodeException.protocolError("will QoS set without the will flag [MQTT-3.1.2-11]");
        }
        if (!willFlag && (flags & 0x20) != 0) {
            throw DecodeException.protocolError("will retain set without the will flag [MQTT-3.1.2-13]");
        }
        if (!version.isV5() && (flags & 0x40) != 0 && (flags & 0x80) == 0) {
            throw DecodeException.protocolError("password flag set without user name flag [MQTT-3.1.2-22]");
        }
    }

    private static void checkAuthProperties(MqttProperties props) {
        if (props.has(PropertyId.AUTHENTICATION_DATA) && !props.has(PropertyId.AUTHENTICATION_METHOD)) {
            throw DecodeException.protocolError("authentication data without authentication method");
        }
    }

    private static void checkClientId(String clientId, boolean cleanStart, MqttVersion version) {
        if (!clientId.isEmpty()) {
            return;
        }
        if (version == MqttVersion.MQTT_3_1) {
            throw new DecodeException(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "MQTT 3.1 requires a client identifier");
        }
        if (version == MqttVersion.MQTT_3_1_1 && !cleanStart) {
            throw new DecodeException(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "empty client identifier with clean session 0 [MQTT-3.1.3-8]");
        }
    }

    private static Will readWill(ByteBuf in, int flags, MqttVersion version) {
        MqttProperties props = version.isV5() ? PropertiesCodec.read(in, PacketType.CONNECT, true) : MqttProperties.EMPTY;
        String topic = Fields.readString(in, "will topic");
        if (!Topics.isValidTopicName(topic)) {
            throw new DecodeException(ReasonCode.TOPIC_NAME_INVALID, "will topic is empty or has wildcards");
        }
        String responseTopic = props.responseTopic();
        if (responseTopic != null && !Topics.isValidTopicName(responseTopic)) {
            throw DecodeException.protocolError("will response topic is empty or has wildcards");
        }
        byte[] payload = Fields.readBinary(in, "will payload");
        return new Will(topic, payload, (flags >> 3) & 0x03, (flags & 0x20) != 0, props);
    }
}
