package io.aviary.admin.json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.aviary.admin.error.ApiException;
import java.math.BigDecimal;

/**
 * Typed access to the fields of a request body. Each getter either returns a value of the
 * right type or throws a 400 that names the field and the type it must have, so a client
 * learns exactly what to fix. A JSON null counts as absent.
 */
public final class JsonFields {

    private final JsonObject body;

    private JsonFields(JsonObject body) {
        this.body = body == null ? new JsonObject() : body;
    }

    public static JsonFields of(JsonObject body) {
        return new JsonFields(body);
    }

    public boolean has(String field) {
        JsonElement e = body.get(field);
        return e != null && !e.isJsonNull();
    }

    public String requiredString(String field) {
        if (!has(field)) {
            throw ApiException.badRequest("field '" + field + "' is required");
        }
        return string(field, null);
    }

    public String string(String field, String fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonElement e = body.get(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw wrongType(field, "a string");
        }
        return e.getAsString();
    }

    public boolean bool(String field, boolean fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonElement e = body.get(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return e.getAsBoolean();
    }

    /** An integer within [min, max]; 1.0 is accepted as 1, 1.5 and "1" are not. */
    public int integer(String field, int fallback, int min, int max) {
        if (!has(field)) {
            return fallback;
        }
        JsonElement e = body.get(field);
        String range = "an integer from " + min + " to " + max;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw wrongType(field, range);
        }
        BigDecimal value = toDecimal(e.getAsJsonPrimitive(), field, range);
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiException.badRequest("field '" + field + "' must be " + range + ", was " + value.toPlainString());
        }
        return value.intValueExact();
    }

    public JsonObject object(String field) {
        if (!has(field)) {
            return null;
        }
        JsonElement e = body.get(field);
        if (!e.isJsonObject()) {
            throw wrongType(field, "a JSON object");
        }
        return e.getAsJsonObject();
    }

    private static BigDecimal toDecimal(JsonPrimitive p, String field, String expected) {
        try {
            BigDecimal value = new BigDecimal(p.getAsString());
            if (value.stripTrailingZeros().scale() > 0) {
                throw wrongType(field, expected);
            }
            return value;
        } catch (NumberFormatException e) {
            throw wrongType(field, expected);
        }
    }

    private static ApiException wrongType(String field, String expected) {
        return ApiException.badRequest("field '" + field + "' must be " + expected);
    }
}
