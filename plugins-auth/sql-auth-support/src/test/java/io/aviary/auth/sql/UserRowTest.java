package io.aviary.auth.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.Test;

public class UserRowTest {

    private static Map<String, Object> row(Object hash, Object salt, Object superuser) {
        Map<String, Object> r = new HashMap<>();
        r.put("password_hash", hash);
        r.put("salt", salt);
        r.put("is_superuser", superuser);
        return r;
    }

    @Test
    public void isSuperuserIsTrueFor1TrueAndTheTextTrue() {
        for (Object yes : new Object[] {1, 1L, (byte) 1, true, "true", "TRUE", "1", new byte[] {1}}) {
            assertTrue(String.valueOf(yes), UserRow.of(row("h", "s", yes)).superuser());
        }
        for (Object no : new Object[] {0, false, "false", "0", "", "yes", null}) {
            assertFalse(String.valueOf(no), UserRow.of(row("h", "s", no)).superuser());
        }
    }

    @Test
    public void saltAndSuperuserAreOptionalColumns() {
        UserRow u = UserRow.of(Map.of("password_hash", "abc"));
        assertEquals("abc", u.passwordHash());
        assertNull(u.salt());
        assertFalse(u.superuser());
    }

    @Test
    public void binaryColumnsReadAsUtf8Text() {
        UserRow u = UserRow.of(row("h\u00e9".getBytes(StandardCharsets.UTF_8), "salt".getBytes(StandardCharsets.UTF_8), null));
        assertEquals("h\u00e9", u.passwordHash());
        assertEquals("salt", u.salt());
    }

    @Test
    public void emqx4sPasswordColumnIsAcceptedButAQueryWithoutEitherIsAnError() {
        assertEquals("p", UserRow.of(Map.of("password", "p")).passwordHash());
        String m = assertThrows(IllegalArgumentException.class, () -> UserRow.of(Map.of("salt", "s"))).getMessage();
        assertEquals("the query's row has no password_hash column (it has [salt])", m);
    }
}
