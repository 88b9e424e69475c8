package io.aviary.rules;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON to and from the {@link Values value model}, with Gson's streaming reader and writer (no
 * reflection, no intermediate tree): integers stay integers, JSON null becomes
 * {@link Values#JSON_NULL}, and encoding writes undefined as the string "undefined" as EMQX's
 * JSON encoder does with the atom.
 */
public final class Json {

    private Json() {}

    /** Decodes JSON text (a String or UTF-8 bytes). */
    public static Object decode(Object textOrBytes) throws IOException {
        // one String copy of the bytes costs far less than an InputStreamReader's 8 KB buffers
        Reader in = new StringReader(Values.text(textOrBytes));
        JsonReader reader = new JsonReader(in);
        reader.setStrictness(com.google.gson.Strictness.STRICT);
        Object value = read(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new MalformedJsonException("trailing data after the JSON value");
        }
        return value;
    }

    /**
     * A string decoded as JSON when it holds an object or an array, else null (not JSON, or a
     * scalar). Used where a path walks into a string; only text that starts like an object or
     * an array is parsed, so plain strings cost no failed parse.
     */
    public static Object decodeContainer(Object s) {
        if (!looksLikeContainer(s)) {
            return null;
        }
        try {
            return decode(s);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static boolean looksLikeContainer(Object s) {
        if (s instanceof byte[] b) {
            for (byte c : b) {
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    return c == '{' || c == '[';
                }
            }
            return false;
        }
        if (!(s instanceof String t)) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    private static Object read(JsonReader r) throws IOException {
        switch (r.peek()) {
            case BEGIN_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                r.beginObject();
                while (r.hasNext()) {
                    String key = r.nextName();
                    map.put(key, read(r));
                }
                r.endObject();
                return map;
            }
            case BEGIN_ARRAY: {
                List<Object> list = new ArrayList<>();
                r.beginArray();
                while (r.hasNext()) {
                    list.add(read(r));
                }
                r.endArray();
                return list;
            }
            case STRING:
                return r.nextString();
            case NUMBER: {
                String n = r.nextString();
                if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) {
                    try {
                        return Long.parseLong(n);
                    } catch (NumberFormatException tooBig) {
                        return Double.parseDouble(n);
                    }
                }
                return Double.parseDouble(n);
            }
            case BOOLEAN:
                return r.nextBoolean();
            case NULL:
                r.nextNull();
                return Values.JSON_NULL;
            default:
                throw new MalformedJsonException("unexpected " + r.peek() + " at " + r.getPath());
        }
    }

    /** Encodes a value as compact JSON. */
    public static String encode(Object value) {
        StringWriter out = new StringWriter();
        try {
            JsonWriter w = new JsonWriter(out);
            w.setSerializeNulls(true);
            w.setHtmlSafe(false);
            write(w, value);
            w.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static void write(JsonWriter w, Object v) throws IOException {
        if (v == null) {
            w.value("undefined");
        } else if (v == Values.JSON_NULL) {
            w.nullValue();
        } else if (Values.isString(v)) {
            w.value(Values.text(v));
        } else if (Values.isInt(v)) {
            w.value(((Number) v).longValue());
        } else if (Values.isFloat(v)) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                w.value(Double.toString(d));
            } else {
                w.value(d);
            }
        } else if (v instanceof Boolean b) {
            w.value(b);
        } else if (v instanceof Map<?, ?> m) {
            w.beginObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                w.name(String.valueOf(e.getKey()));
                write(w, e.getValue());
            }
            w.endObject();
        } else if (v instanceof List<?> l) {
            w.beginArray();
            for (Object o : l) {
                write(w, o);
            }
            w.endArray();
        } else {
            w.value(Values.toText(v));
        }
    }
}
