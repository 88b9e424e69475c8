package io.aviary.auth.sql;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The column values of a row as the two databases hand them over, read the way EMQX reads them:
 * text may come as a String, bytes (VARBINARY, BLOB, bytea) or a number; flags may be a BOOLEAN,
 * a TINYINT, a BIT or text such as "true" and "1".
 */
final class RowValues {
    private RowValues() {
    }

    /** The value as text; null for SQL NULL. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    /** True for true, a non-zero number, a bit set, or the text "true" / "1"; everything else is false. */
    static boolean flag(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof byte[] b) {
            if (b.length == 1 && b[0] == 1) {
                return true; // BIT(1)
            }
        }
        String t = text(value);
        if (t == null) {
            return false;
        }
        t = t.trim().toLowerCase(Locale.ROOT);
        return t.equals("true") || t.equals("1");
    }
}
