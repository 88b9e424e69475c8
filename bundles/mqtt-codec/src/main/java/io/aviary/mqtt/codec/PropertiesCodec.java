package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;
import java.util.EnumSet;
import java.util.Map;

/**
 * Reads, writes and checks MQTT 5 property blocks (spec 2.2.2). One place holds the rules:
 * identifier allowed on this packet type (else Malformed), no duplicates except the repeatable
 * ones (else Protocol Error), values within the spec's ranges (else Protocol Error). The
 * builder of {@link MqttProperties} uses the same range rules, so what Aviary sends is valid too.
 */
final class PropertiesCodec {
    private PropertiesCodec() {
    }

    /**
     * Reads a Property Length and the properties after it.
     *
     * @param will true for Will Properties (the context is then the Will, not {@code type})
     */
    static MqttProperties read(ByteBuf in, PacketType type, boolean will) {
        int length = VariableByteInteger.read(in);
        Fields.need(in, length, "properties");
        if (length == 0) {
            return MqttProperties.EMPTY; // the common case: nothing to build
        }
        ByteBuf block = in.readSlice(length);
        MqttProperties.Builder b = MqttProperties.builder();
        EnumSet<PropertyId> seen = EnumSet.noneOf(PropertyId.class);
        while (block.isReadable()) {
            int idValue = VariableByteInteger.read(block);
            PropertyId id = PropertyId.fromId(idValue);
            if (id == null) {
                throw DecodeException.malformed(String.format("unknown property identifier 0x%02X in %s", idValue,
                        where(type, will)));
            }
            if (will ? !id.allowedInWill() : !id.allowedOn(type)) {
                throw DecodeException.malformed(id + " is not allowed in " + where(type, will));
            }
            if (!seen.add(id) && !(will ? id == PropertyId.USER_PROPERTY : id.isRepeatableOn(type))) {
                throw DecodeException.protocolError(id + " appears more than once in " + where(type, will));
            }
            readValue(block, id, b);
        }
        return b.build();
    }

    /** The block's name in error messages, made only when one is thrown. */
    private static String where(PacketType type, boolean will) {
        return will ? "Will Properties" : type + " properties";
    }

    private static void readValue(ByteBuf in, PropertyId id, MqttProperties.Builder b) {
        String what = id.toString();
        Object value;
        switch (id.type()) {
            case BYTE: value = Fields.readByte(in, what); break;
            case TWO_BYTE_INT: value = Fields.readShort(in, what); break;
            case FOUR_BYTE_INT: value = Fields.readInt(in, what); break;
            case VARIABLE_BYTE_INT: value = VariableByteInteger.read(in); break;
            case UTF8_STRING: value = Fields.readString(in, what); break;
            case BINARY: value = Fields.readBinary(in, what); break;
            case UTF8_STRING_PAIR:
                b.userProperty(Fields.readString(in, "user property name"), Fields.readString(in, "user property value"));
                return;
            default: throw new IllegalStateException(id.type().toString());
        }
        String error = rangeError(id, value);
        if (error != null) {
            throw DecodeException.protocolError(error);
        }
        if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
            b.subscriptionIdentifier((Integer) value);
        } else {
            b.set(id, value);
        }
    }

    /** Why a well-typed value is outside the range the spec allows for this property, or null. */
    static String rangeError(PropertyId id, Object value) {
        long v = value instanceof Number ? ((Number) value).longValue() : -1;
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR:
            case REQUEST_PROBLEM_INFORMATION:
            case REQUEST_RESPONSE_INFORMATION:
            case MAXIMUM_QOS:
            case RETAIN_AVAILABLE:
            case WILDCARD_SUBSCRIPTION_AVAILABLE:
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE:
            case SHARED_SUBSCRIPTION_AVAILABLE:
                return v == 0 || v == 1 ? null : id + " must be 0 or 1, was " + v;
            case RECEIVE_MAXIMUM:
            case MAXIMUM_PACKET_SIZE:
            case SUBSCRIPTION_IDENTIFIER:
            case TOPIC_ALIAS:
                return v != 0 ? null : id + " must not be 0";
            default:
                return null;
        }
    }

    /** Checks a value's Java type and range for {@code id}; answers the normalised value. */
    static Object checkValue(PropertyId id, Object value) {
        Object normal;
        switch (id.type()) {
            case BYTE: normal = checkInt(id, value, 0xFF); break;
            case TWO_BYTE_INT: normal = checkInt(id, value, 0xFFFF); break;
            case VARIABLE_BYTE_INT: normal = checkInt(id, value, MqttCodec.MAX_VARIABLE_BYTE_INT); break;
            case FOUR_BYTE_INT: normal = checkLong(id, value); break;
            case UTF8_STRING:
                if (!(value instanceof String)) {
                    throw new IllegalArgumentException(id + " takes a String");
                }
                checkString(id, (String) value);
                normal = value;
                break;
            case BINARY:
                if (!(value instanceof byte[]) || ((byte[]) value).length > 0xFFFF) {
                    throw new IllegalArgumentException(id + " takes a byte[] of at most 65535 bytes");
                }
                normal = ((byte[]) value).clone();
                break;
            default:
                throw new IllegalArgumentException(id + " cannot be set with set(); use userProperty()");
        }
        String error = rangeError(id, normal);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        return normal;
    }

    private static Integer checkInt(PropertyId id, Object value, int max) {
        if (!(value instanceof Number) || value instanceof Double || value instanceof Float) {
            throw new IllegalArgumentException(id + " takes an integer");
        }
        long v = ((Number) value).longValue();
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(id + " must be 0.." + max + ", was " + v);
        }
        return (int) v;
    }

    private static Long checkLong(PropertyId id, Object value) {
        if (!(value instanceof Number) || value instanceof Double || value instanceof Float) {
            throw new IllegalArgumentException(id + " takes an integer");
        }
        long v = ((Number) value).longValue();
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(id + " must be 0..4294967295, was " + v);
        }
        return v;
    }

    static void checkString(PropertyId id, String s) {
        if (!Topics.isValidMqttString(s)) {
            throw new IllegalArgumentException(id + " is not a valid MQTT string (null, U+0000, lone surrogate or over 65535 bytes)");
        }
    }

    /** The size of the properties, without the Property Length prefix. */
    static int encodedLength(MqttProperties p) {
        int n = 0;
        for (Map.Entry<PropertyId, Object> e : p.singleValues().entrySet()) {
            n += 1 + valueSize(e.getKey(), e.getValue());
        }
        for (int id : p.subscriptionIdentifiers()) {
            n += 1 + VariableByteInteger.size(id);
        }
        for (Map.Entry<String, String> e : p.userProperties()) {
            n += 1 + Fields.stringSize(e.getKey()) + Fields.stringSize(e.getValue());
        }
        return n;
    }

    private static int valueSize(PropertyId id, Object v) {
        switch (id.type()) {
            case BYTE: return 1;
            case TWO_BYTE_INT: return 2;
            case FOUR_BYTE_INT: return 4;
            case VARIABLE_BYTE_INT: return VariableByteInteger.size((Integer) v);
            case UTF8_STRING: return Fields.stringSize((String) v);
            case BINARY: return 2 + ((byte[]) v).length;
            default: throw new IllegalStateException(id.toString());
        }
    }

    /**
     * Writes Property Length and properties, after checking each is allowed in this context.
     *
     * @throws IllegalArgumentException for a property not allowed on {@code type} (or in a Will)
     */
    static void write(ByteBuf out, MqttProperties p, PacketType type, boolean will) {
        checkAllowed(p, type, will);
        VariableByteInteger.write(out, p.encodedLength());
        writeAll(out, p);
    }

    /** PUBLISH properties with a Topic Alias added in front (the properties hold none). */
    static void writeWithTopicAlias(ByteBuf out, MqttProperties p, int alias) {
        checkAllowed(p, PacketType.PUBLISH, false);
        VariableByteInteger.write(out, p.encodedLength() + 3);
        out.writeByte(PropertyId.TOPIC_ALIAS.id());
        out.writeShort(alias);
        writeAll(out, p);
    }

    private static void writeAll(ByteBuf out, MqttProperties p) {
        for (Map.Entry<PropertyId, Object> e : p.singleValues().entrySet()) {
            writeValue(out, e.getKey(), e.getValue());
        }
        for (int id : p.subscriptionIdentifiers()) {
            out.writeByte(PropertyId.SUBSCRIPTION_IDENTIFIER.id());
            VariableByteInteger.write(out, id);
        }
        for (Map.Entry<String, String> e : p.userProperties()) {
            out.writeByte(PropertyId.USER_PROPERTY.id());
            Fields.writeString(out, e.getKey());
            Fields.writeString(out, e.getValue());
        }
    }

    private static void checkAllowed(MqttProperties p, PacketType type, boolean will) {
        for (PropertyId id : p.singleValues().keySet()) {
            if (will ? !id.allowedInWill() : !id.allowedOn(type)) {
                throw new IllegalArgumentException(id + " is not allowed " + (will ? "in a Will" : "on " + type));
            }
        }
        if (!p.subscriptionIdentifiers().isEmpty()) {
            if (will || !PropertyId.SUBSCRIPTION_IDENTIFIER.allowedOn(type)) {
                throw new IllegalArgumentException("SUBSCRIPTION_IDENTIFIER is not allowed on " + type);
            }
            if (type != PacketType.PUBLISH && p.subscriptionIdentifiers().size() > 1) {
                throw new IllegalArgumentException("only one SUBSCRIPTION_IDENTIFIER is allowed on " + type);
            }
        }
        if (!p.userProperties().isEmpty() && !will && !PropertyId.USER_PROPERTY.allowedOn(type)) {
            throw new IllegalArgumentException("USER_PROPERTY is not allowed on " + type);
        }
    }

    private static void writeValue(ByteBuf out, PropertyId id, Object v) {
        out.writeByte(id.id());
        switch (id.type()) {
            case BYTE: out.writeByte((Integer) v); break;
            case TWO_BYTE_INT: out.writeShort((Integer) v); break;
            case FOUR_BYTE_INT: out.writeInt((int) (long) (Long) v); break;
            case VARIABLE_BYTE_INT: VariableByteInteger.write(out, (Integer) v); break;
            case UTF8_STRING: Fields.writeString(out, (String) v); break;
            case BINARY: Fields.writeBinary(out, (byte[]) v); break;
            default: throw new IllegalStateException(id.toString());
        }
    }
}
