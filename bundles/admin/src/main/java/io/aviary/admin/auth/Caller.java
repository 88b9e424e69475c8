package io.aviary.admin.auth;

/**
 * Who made an authenticated request, kept as a request property for resources and logs.
 *
 * @param name   the admin user name, the API key's name, or the token's user name
 * @param role   what the caller may do (the admin user and tokens are administrators)
 * @param tenant the tenant the caller is scoped to, or null for a platform caller (every tenant)
 */
public record Caller(Kind kind, String name, Role role, String tenant) {

    /** How the caller proved who it is. */
    public enum Kind { ADMIN_USER, API_KEY, TOKEN }

    public static final String PROPERTY = "aviary.admin.caller";

    public Caller(Kind kind, String name) {
        this(kind, name, Role.ADMINISTRATOR, null);
    }
}
