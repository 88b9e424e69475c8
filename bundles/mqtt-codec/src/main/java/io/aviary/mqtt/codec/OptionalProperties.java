package io.aviary.mqtt.codec;

/**
 * The Reason String and User Properties of the packets that may carry them other than PUBLISH
 * (CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH). The spec makes
 * these two optional in one respect: a sender MUST NOT include them when they would push the
 * packet past the receiver's Maximum Packet Size, and the packet then goes without them. This
 * class gives the encoder the copies to fall back to, so the rule lives in one place instead of
 * in every writer. PUBLISH is not covered: a PUBLISH that is too large is not sent at all.
 */
final class OptionalProperties {

    private OptionalProperties() {
    }

    /** True if the packet carries a Reason String or User Properties the sender may leave out. */
    static boolean present(MqttPacket p) {
        MqttProperties props = propertiesOf(p);
        return props != null && (props.has(PropertyId.REASON_STRING) || !props.userProperties().isEmpty());
    }

    /**
     * A copy with less: without User Properties if it has some, else without its Reason String;
     * null when neither is left. User Properties go first because the Reason String says why.
     */
    static MqttPacket dropOne(MqttPacket p) {
        MqttProperties props = propertiesOf(p);
        if (props == null) {
            return null;
        }
        PropertyId drop = !props.userProperties().isEmpty() ? PropertyId.USER_PROPERTY
                : props.has(PropertyId.REASON_STRING) ? PropertyId.REASON_STRING : null;
        return drop == null ? null : withProperties(p, props.toBuilder().remove(drop).build());
    }

    private static MqttProperties propertiesOf(MqttPacket p) {
        if (p instanceof ConnAckPacket c) {
            return c.properties();
        } else if (p instanceof AckPacket a) {
            return a.properties();
        } else if (p instanceof SubAckPacket s) {
            return s.properties();
        } else if (p instanceof UnsubAckPacket u) {
            return u.properties();
        } else if (p instanceof DisconnectPacket d) {
            return d.properties();
        } else if (p instanceof AuthPacket a) {
            return a.properties();
        }
        return null;
    }

    private static MqttPacket withProperties(MqttPacket p, MqttProperties props) {
        if (p instanceof ConnAckPacket c) {
            return new ConnAckPacket(c.sessionPresent(), c.reasonCode(), props);
        } else if (p instanceof AckPacket a) {
            return new AckPacket(a.type(), a.packetId(), a.reasonCode(), props);
        } else if (p instanceof SubAckPacket s) {
            return new SubAckPacket(s.packetId(), s.reasonCodes(), props);
        } else if (p instanceof UnsubAckPacket u) {
            return new UnsubAckPacket(u.packetId(), u.reasonCodes(), props);
        } else if (p instanceof DisconnectPacket d) {
            return new DisconnectPacket(d.reasonCode(), props);
        }
        AuthPacket a = (AuthPacket) p;
        return new AuthPacket(a.reasonCode(), props);
    }
}
