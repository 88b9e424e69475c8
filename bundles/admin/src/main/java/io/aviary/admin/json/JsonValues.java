package io.aviary.admin.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.aviary.admin.error.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Gson trees and the plain Java values the platform api takes (plugin
 * configurations are Map&lt;String, Object&gt;). Integral numbers become Long, others Double;
 * nulls are refused with the path of the offending field because Config Admin stores none.
 */
public final class JsonValues {

    private JsonValues() {
    }

    public static Map<String, Object> toMap(JsonObject object, String path) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
            map.put(entry.getKey(), toJava(entry.getValue(), path.isEmpty() ? entry.getKey() : path + "." + entry.getKey()));
        }
        return map;
    }

    private static Object toJava(JsonElement element, String path) {
        if (element.isJsonNull()) {
            throw ApiException.badRequest("field '" + path + "' must not be null");
        }
        if (element.isJsonObject()) {
            return toMap(element.getAsJsonObject(), path);
        }
        if (element.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            JsonArray array = element.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                list.add(toJava(array.get(i), path + "[" + i + "]"));
            }
            return list;
        }
        return toScalar(element.getAsJsonPrimitive());
    }

    private static Object toScalar(JsonPrimitive p) {
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isString()) {
            return p.getAsString();
        }
        BigDecimal number = new BigDecimal(p.getAsString());
        try {
            return number.stripTrailingZeros().scale() <= 0 ? number.longValueExact() : number.doubleValue();
        } catch (ArithmeticException tooBig) {
            return number.doubleValue();
        }
    }

    /** The reverse direction, for echoing a stored configuration back to the caller. */
    public static JsonElement toJson(Object value) {
        if (value == null) {
            return com.google.gson.JsonNull.INSTANCE;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((k, v) -> object.add(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof Iterable<?> items) {
            JsonArray array = new JsonArray();
            items.forEach(item -> array.add(toJson(item)));
            return array;
        }
        if (value.getClass().isArray()) {
            JsonArray array = new JsonArray();
            int length = java.lang.reflect.Array.getLength(value);
            for (int i = 0; i < length; i++) {
                array.add(toJson(java.lang.reflect.Array.get(value, i)));
            }
            return array;
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        return new JsonPrimitive(String.valueOf(value));
    }
}
