package io.aviary.mqtt.codec;

/**
 * The MQTT protocol versions Aviary speaks, with the protocol name and level that a CONNECT
 * packet carries for each. The codec picks its wire rules from this value.
 */
public enum MqttVersion {
    MQTT_3_1(3, "MQIsdp"),
    MQTT_3_1_1(4, "MQTT"),
    MQTT_5(5, "MQTT");

    private final int level;
    private final String protocolName;

    MqttVersion(int level, String protocolName) {
        this.level = level;
        this.protocolName = protocolName;
    }

    /** The protocol level byte of CONNECT (3, 4 or 5). */
    public int level() {
        return level;
    }

    /** The protocol name of CONNECT ("MQIsdp" for 3.1, "MQTT" otherwise). */
    public String protocolName() {
        return protocolName;
    }

    /** True for MQTT 5, the only version with properties and reason codes on every ack. */
    public boolean isV5() {
        return this == MQTT_5;
    }

    /**
     * The version for a CONNECT protocol level.
     *
     * @throws IllegalArgumentException for a level Aviary does not support
     */
    public static MqttVersion fromLevel(int level) {
        for (MqttVersion v : values()) {
            if (v.level == level) {
                return v;
            }
        }
        throw new IllegalArgumentException("unsupported MQTT protocol level " + level);
    }
}
