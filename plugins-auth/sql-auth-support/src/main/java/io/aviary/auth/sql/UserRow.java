package io.aviary.auth.sql;

import java.util.Map;

/**
 * The row an authenticator's query found for a client: EMQX's columns {@code password_hash}
 * ({@code password} is accepted too, as EMQX 4 named it), {@code salt} (optional) and
 * {@code is_superuser} (optional; 1, true or "true" make a superuser).
 */
public record UserRow(String passwordHash, String salt, boolean superuser) {

    /** @throws IllegalArgumentException when the row has no password_hash column (a query that selects the wrong columns) */
    public static UserRow of(Map<String, Object> row) {
        String column = row.containsKey("password_hash") ? "password_hash" : row.containsKey("password") ? "password" : null;
        if (column == null) {
            throw new IllegalArgumentException("the query's row has no password_hash column (it has " + row.keySet() + ")");
        }
        return new UserRow(RowValues.text(row.get(column)), RowValues.text(row.get("salt")),
                RowValues.flag(row.get("is_superuser")));
    }
}
