package io.aviary.admin.auth;

/**
 * The configured admin user (EMQX's dashboard default user): a name and a salted hash of its
 * password. The plain password from the configuration is hashed once and not kept.
 */
public final class AdminUser {

    private final String username;
    private final PasswordHash hash;
    private final String hashText;

    public AdminUser(String username, String password) {
        this.username = username;
        this.hash = PasswordHash.create(password);
        this.hashText = hash.text();
    }

    public String username() {
        return username;
    }

    public boolean matches(String user, String password, VerifiedCredentials cache) {
        return username.equals(user) && cache.verify(hash, hashText, password);
    }
}
