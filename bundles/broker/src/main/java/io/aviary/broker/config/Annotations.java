package io.aviary.broker.config;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Builds an instance of a DS configuration annotation from a plain map, the way SCR does
 * (double underscore in a method name is one underscore in the key; missing keys take the
 * annotation's default). Lets the broker run, and be tested, outside an OSGi framework.
 */
public final class Annotations {

    private Annotations() {
    }

    public static <A> A fromMap(Class<A> type, Map<String, ?> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> valueOf(method, values));
        return type.cast(proxy);
    }

    private static Object valueOf(Method method, Map<String, ?> values) {
        switch (method.getName()) {
            case "toString": return "config" + values;
            case "hashCode": return values.hashCode();
            case "equals": return false;
            default: break;
        }
        Object raw = values.get(keyOf(method.getName()));
        if (raw == null) {
            return method.getDefaultValue();
        }
        return coerce(raw, method.getReturnType());
    }

    /** DS's mapping of a method name to a key: "__" is "_", a single "_" is ".". */
    static String keyOf(String methodName) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < methodName.length(); i++) {
            char ch = methodName.charAt(i);
            if (ch == '_' && i + 1 < methodName.length() && methodName.charAt(i + 1) == '_') {
                key.append('_');
                i++;
            } else {
                key.append(ch == '_' ? '.' : ch);
            }
        }
        return key.toString();
    }

    private static Object coerce(Object raw, Class<?> to) {
        if (to.isInstance(raw)) {
            return raw;
        }
        String text = raw.getClass().isArray() ? String.valueOf(Array.get(raw, 0)) : String.valueOf(raw).trim();
        if (to == long.class) return Long.parseLong(text);
        if (to == int.class) return Integer.parseInt(text);
        if (to == double.class) return Double.parseDouble(text);
        if (to == boolean.class) return Boolean.parseBoolean(text);
        if (to == String.class) return text;
        throw new IllegalArgumentException("unsupported config type " + to);
    }
}
