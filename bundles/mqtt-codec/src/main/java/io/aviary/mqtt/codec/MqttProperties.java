package io.aviary.mqtt.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The MQTT 5 properties of one packet (or of a Will), immutable. Single-valued properties are
 * kept by id; User Properties keep their order and may repeat; Subscription Identifiers may
 * repeat (PUBLISH). Values are typed by {@link PropertyId.Type}: Integer for BYTE, TWO_BYTE_INT
 * and VARIABLE_BYTE_INT, Long for FOUR_BYTE_INT (unsigned 32-bit), String, byte[] (copied in
 * and out). The builder checks types and ranges, so an instance always encodes.
 */
public final class MqttProperties {
    public static final MqttProperties EMPTY = new MqttProperties(new EnumMap<>(PropertyId.class), List.of(), List.of());

    private final EnumMap<PropertyId, Object> values;
    private final List<Map.Entry<String, String>> userProperties;
    private final List<Integer> subscriptionIdentifiers;
    private final int encodedLength;

    private MqttProperties(EnumMap<PropertyId, Object> values, List<Map.Entry<String, String>> userProperties,
                           List<Integer> subscriptionIdentifiers) {
        this.values = values;
        this.userProperties = userProperties;
        this.subscriptionIdentifiers = subscriptionIdentifiers;
        this.encodedLength = PropertiesCodec.encodedLength(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        b.userProperties.addAll(userProperties);
        b.subscriptionIdentifiers.addAll(subscriptionIdentifiers);
        return b;
    }

    public boolean isEmpty() {
        return values.isEmpty() && userProperties.isEmpty() && subscriptionIdentifiers.isEmpty();
    }

    /** True if the property is present at least once. */
    public boolean has(PropertyId id) {
        switch (id) {
            case USER_PROPERTY:
                return !userProperties.isEmpty();
            case SUBSCRIPTION_IDENTIFIER:
                return !subscriptionIdentifiers.isEmpty();
            default:
                return values.containsKey(id);
        }
    }

    /**
     * The value of a BYTE, TWO_BYTE_INT or VARIABLE_BYTE_INT property, null when absent. For
     * Subscription Identifier, the first one.
     *
     * @throws IllegalArgumentException if the property has another type
     */
    public Integer getInt(PropertyId id) {
        requireType(id, PropertyId.Type.BYTE, PropertyId.Type.TWO_BYTE_INT, PropertyId.Type.VARIABLE_BYTE_INT);
        if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
            return subscriptionIdentifiers.isEmpty() ? null : subscriptionIdentifiers.get(0);
        }
        return (Integer) values.get(id);
    }

    /** The value of a FOUR_BYTE_INT property (unsigned 32-bit), null when absent. */
    public Long getLong(PropertyId id) {
        requireType(id, PropertyId.Type.FOUR_BYTE_INT);
        return (Long) values.get(id);
    }

    /** The value of a UTF8_STRING property, null when absent. */
    public String getString(PropertyId id) {
        requireType(id, PropertyId.Type.UTF8_STRING);
        return (String) values.get(id);
    }

    /** A copy of a BINARY property's value, null when absent. */
    public byte[] getBinary(PropertyId id) {
        requireType(id, PropertyId.Type.BINARY);
        byte[] v = (byte[]) values.get(id);
        return v == null ? null : v.clone();
    }

    /** User Properties in wire order (names may repeat). */
    public List<Map.Entry<String, String>> userProperties() {
        return userProperties;
    }

    /** Subscription Identifiers in wire order (several only on a PUBLISH to a client). */
    public List<Integer> subscriptionIdentifiers() {
        return subscriptionIdentifiers;
    }

    /**
     * The number of bytes the properties occupy on the wire, NOT counting the Property Length
     * variable byte integer in front of them (see {@link #encodedLengthWithPrefix()}).
     */
    public int encodedLength() {
        return encodedLength;
    }

    /** The number of bytes including the Property Length prefix. */
    public int encodedLengthWithPrefix() {
        return VariableByteInteger.size(encodedLength) + encodedLength;
    }

    // Convenience getters, null when absent.
    public Integer payloadFormatIndicator() { return getInt(PropertyId.PAYLOAD_FORMAT_INDICATOR); }
    public Long messageExpiryInterval() { return getLong(PropertyId.MESSAGE_EXPIRY_INTERVAL); }
    public String contentType() { return getString(PropertyId.CONTENT_TYPE); }
    public String responseTopic() { return getString(PropertyId.RESPONSE_TOPIC); }
    public byte[] correlationData() { return getBinary(PropertyId.CORRELATION_DATA); }
    public Long sessionExpiryInterval() { return getLong(PropertyId.SESSION_EXPIRY_INTERVAL); }
    public String assignedClientIdentifier() { return getString(PropertyId.ASSIGNED_CLIENT_IDENTIFIER); }
    public Integer serverKeepAlive() { return getInt(PropertyId.SERVER_KEEP_ALIVE); }
    public String authenticationMethod() { return getString(PropertyId.AUTHENTICATION_METHOD); }
    public byte[] authenticationData() { return getBinary(PropertyId.AUTHENTICATION_DATA); }
    public Integer requestProblemInformation() { return getInt(PropertyId.REQUEST_PROBLEM_INFORMATION); }
    public Long willDelayInterval() { return getLong(PropertyId.WILL_DELAY_INTERVAL); }
    public Integer requestResponseInformation() { return getInt(PropertyId.REQUEST_RESPONSE_INFORMATION); }
    public String responseInformation() { return getString(PropertyId.RESPONSE_INFORMATION); }
    public String serverReference() { return getString(PropertyId.SERVER_REFERENCE); }
    public String reasonString() { return getString(PropertyId.REASON_STRING); }
    public Integer receiveMaximum() { return getInt(PropertyId.RECEIVE_MAXIMUM); }
    public Integer topicAliasMaximum() { return getInt(PropertyId.TOPIC_ALIAS_MAXIMUM); }
    public Integer topicAlias() { return getInt(PropertyId.TOPIC_ALIAS); }
    public Integer maximumQos() { return getInt(PropertyId.MAXIMUM_QOS); }
    public Integer retainAvailable() { return getInt(PropertyId.RETAIN_AVAILABLE); }
    public Long maximumPacketSize() { return getLong(PropertyId.MAXIMUM_PACKET_SIZE); }
    public Integer wildcardSubscriptionAvailable() { return getInt(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE); }
    public Integer subscriptionIdentifierAvailable() { return getInt(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE); }
    public Integer sharedSubscriptionAvailable() { return getInt(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE); }

    /** Single-valued properties in identifier order (for the encoder). */
    Map<PropertyId, Object> singleValues() {
        return values;
    }

    private static void requireType(PropertyId id, PropertyId.Type... types) {
        for (PropertyId.Type t : types) {
            if (id.type() == t) {
                return;
            }
        }
        throw new IllegalArgumentException(id + " has type " + id.type());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MqttProperties)) {
            return false;
        }
        MqttProperties other = (MqttProperties) o;
        if (!values.keySet().equals(other.values.keySet())) {
            return false;
        }
        for (Map.Entry<PropertyId, Object> e : values.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), other.values.get(e.getKey()))) {
                return false;
            }
        }
        return userProperties.equals(other.userProperties)
                && subscriptionIdentifiers.equals(other.subscriptionIdentifiers);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(userProperties, subscriptionIdentifiers);
        for (Map.Entry<PropertyId, Object> e : values.entrySet()) {
            Object v = e.getValue();
            h = 31 * h + e.getKey().hashCode() ^ (v instanceof byte[] ? Arrays.hashCode((byte[]) v) : v.hashCode());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MqttProperties{");
        values.forEach((k, v) -> sb.append(k).append('=')
                .append(v instanceof byte[] ? ((byte[]) v).length + " bytes" : v).append(", "));
        if (!subscriptionIdentifiers.isEmpty()) {
            sb.append("SUBSCRIPTION_IDENTIFIER=").append(subscriptionIdentifiers).append(", ");
        }
        if (!userProperties.isEmpty()) {
            sb.append("USER_PROPERTY=").append(userProperties).append(", ");
        }
        if (sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 2);
        }
        return sb.append('}').toString();
    }

    /**
     * Collects properties, checking each value's Java type and range as it is set, so that
     * {@link #build()} never yields properties that cannot be encoded.
     */
    public static final class Builder {
        private final EnumMap<PropertyId, Object> values = new EnumMap<>(PropertyId.class);
        private final List<Map.Entry<String, String>> userProperties = new ArrayList<>();
        private final List<Integer> subscriptionIdentifiers = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets a single-valued property (replacing an earlier value); null removes it. Integer
         * types take any Number within range; strings must be valid MQTT UTF-8 strings. Setting
         * SUBSCRIPTION_IDENTIFIER replaces all identifiers with this one; USER_PROPERTY takes a
         * Map.Entry and appends it.
         *
         * @throws IllegalArgumentException for a value of the wrong type or out of range
         */
        public Builder set(PropertyId id, Object value) {
            Objects.requireNonNull(id, "id");
            if (value == null) {
                return remove(id);
            }
            if (id == PropertyId.USER_PROPERTY) {
                if (!(value instanceof Map.Entry)) {
                    throw new IllegalArgumentException("USER_PROPERTY takes a Map.Entry<String,String>");
                }
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) value;
                return userProperty(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
            Object checked = PropertiesCodec.checkValue(id, value);
            if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
                subscriptionIdentifiers.clear();
                subscriptionIdentifiers.add((Integer) checked);
            } else {
                values.put(id, checked);
            }
            return this;
        }

        /** Removes every occurrence of the property. */
        public Builder remove(PropertyId id) {
            if (id == PropertyId.USER_PROPERTY) {
                userProperties.clear();
            } else if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
                subscriptionIdentifiers.clear();
            } else {
                values.remove(id);
            }
            return this;
        }

        /** Appends a User Property (name and value must be valid MQTT UTF-8 strings). */
        public Builder userProperty(String name, String value) {
            PropertiesCodec.checkString(PropertyId.USER_PROPERTY, name);
            PropertiesCodec.checkString(PropertyId.USER_PROPERTY, value);
            userProperties.add(Map.entry(name, value));
            return this;
        }

        /** Appends a Subscription Identifier (1..268,435,455). */
        public Builder subscriptionIdentifier(int id) {
            subscriptionIdentifiers.add((Integer) PropertiesCodec.checkValue(PropertyId.SUBSCRIPTION_IDENTIFIER, id));
            return this;
        }

        public MqttProperties build() {
            if (values.isEmpty() && userProperties.isEmpty() && subscriptionIdentifiers.isEmpty()) {
                return EMPTY;
            }
            return new MqttProperties(new EnumMap<>(values), Collections.unmodifiableList(new ArrayList<>(userProperties)),
                    List.copyOf(subscriptionIdentifiers));
        }
    }
}
