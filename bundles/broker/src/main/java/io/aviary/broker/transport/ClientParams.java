package io.aviary.broker.transport;

import io.aviary.broker.config.BrokerSettings;
import io.aviary.mqtt.codec.ConnectPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.PropertyId;

/**
 * What one connection negotiated at CONNECT: the client's limits (MQTT 5 Receive Maximum,
 * Maximum Packet Size, Topic Alias Maximum, Request Problem Information) and the values the
 * broker settled on (keep alive, session expiry, an assigned client id). Immutable.
 *
 * @param keepAlive       effective keep alive in seconds (Server Keep Alive when it overrides)
 * @param sessionExpiry   seconds; 0xFFFFFFFF never
 * @param receiveMaximum  how many QoS 1/2 messages the client accepts unacknowledged
 * @param maxPacketSize   the client's Maximum Packet Size, 0 when it set none
 * @param assignedClientId set when the broker chose the client id (MQTT 5)
 * @param authMethod      the MQTT 5 Authentication Method of the CONNECT, or null
 */
public record ClientParams(boolean v5, int keepAlive, boolean keepAliveOverridden, long sessionExpiry,
                           int receiveMaximum, long maxPacketSize, int topicAliasMaximum, boolean problemInfo,
                           String assignedClientId, String authMethod) {

    public static ClientParams of(ConnectPacket c, BrokerSettings s, String assigned) {
        boolean v5 = c.version().isV5();
        MqttProperties p = c.properties();
        boolean override = v5 && s.serverKeepalive > 0;
        int keepAlive = override ? s.serverKeepalive : c.keepAlive();
        long expiry = v5 ? orDefault(p.sessionExpiryInterval(), 0L) : c.cleanStart() ? 0 : s.v3SessionExpiry;
        int receiveMax = v5 ? orDefault(p.receiveMaximum(), 65535) : 65535;
        long maxPacket = v5 ? orDefault(p.maximumPacketSize(), 0L) : 0;
        int aliasMax = v5 ? orDefault(p.topicAliasMaximum(), 0) : 0;
        boolean problemInfo = !v5 || orDefault(p.requestProblemInformation(), 1) != 0;
        return new ClientParams(v5, keepAlive, override, expiry, receiveMax, maxPacket, aliasMax, problemInfo, assigned,
                v5 ? p.authenticationMethod() : null);
    }

    /** The outbound inflight window: the client's Receive Maximum capped by max_inflight. */
    public int window(BrokerSettings s) {
        return Math.max(1, Math.min(receiveMaximum, s.maxInflight));
    }

    /**
     * Properties of the successful CONNACK: what this broker supports (only values that differ
     * from the defaults) and, after enhanced authentication, the CONNECT's Authentication Method
     * [MQTT-4.12.0-5] (never without one [MQTT-4.12.0-6]).
     */
    public MqttProperties connackProperties(BrokerSettings s) {
        return connackProperties(s, s.maxQos);
    }

    /** {@code maxQos}: the client's tenant's Maximum QoS (SettingCatalogue), announced when below 2. */
    public MqttProperties connackProperties(BrokerSettings s, int maxQos) {
        return connackProperties(s, maxQos, null);
    }

    /** {@code authData}: the authenticator's final Authentication Data (e.g. SCRAM's server-final message), or null. */
    public MqttProperties connackProperties(BrokerSettings s, int maxQos, byte[] authData) {
        if (!v5) {
            return MqttProperties.EMPTY;
        }
        MqttProperties.Builder b = MqttProperties.builder();
        if (authMethod != null) {
            b.set(PropertyId.AUTHENTICATION_METHOD, authMethod);
            if (authData != null) {
                b.set(PropertyId.AUTHENTICATION_DATA, authData);
            }
        }
        if (assignedClientId != null) {
            b.set(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, assignedClientId);
        }
        if (keepAliveOverridden) {
            b.set(PropertyId.SERVER_KEEP_ALIVE, keepAlive);
        }
        if (maxQos < 2) {
            b.set(PropertyId.MAXIMUM_QOS, maxQos);
        }
        if (!s.retainAvailable) {
            b.set(PropertyId.RETAIN_AVAILABLE, 0);
        }
        if (!s.wildcardSubscription) {
            b.set(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 0);
        }
        if (!s.sharedSubscription) {
            b.set(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 0);
        }
        b.set(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1);
        if (s.maxTopicAlias > 0) {
            b.set(PropertyId.TOPIC_ALIAS_MAXIMUM, s.maxTopicAlias);
        }
        b.set(PropertyId.RECEIVE_MAXIMUM, s.maxInflight);
        b.set(PropertyId.MAXIMUM_PACKET_SIZE, (long) s.maxPacketSize);
        return b.build();
    }

    private static <T> T orDefault(T value, T dflt) {
        return value == null ? dflt : value;
    }
}
