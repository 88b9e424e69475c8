package io.aviary.admin.auth;

/**
 * Who made an authenticated request, kept as a request property for resources and logs.
 *
 * @param name the admin user name, the API key's name, or the token's user name
 */
public record Caller(Kind kind, String name) {

    /** How the caller proved who it is. */
    public enum Kind { ADMIN_USER, API_KEY, TOKEN }

    public static final String PROPERTY = "aviary.admin.caller";
}
