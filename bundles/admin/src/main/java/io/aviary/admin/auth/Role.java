package io.aviary.admin.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * EMQX's API key roles: an administrator may do everything, a viewer only read (GET), and a
 * publisher only publish (POST /publish and /publish/bulk).
 */
public enum Role {
    ADMINISTRATOR, VIEWER, PUBLISHER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        for (Role r : values()) {
            if (r.id().equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Whether this role may make the request (path without the /api/v5 prefix or slashes). */
    public boolean allows(String method, String path) {
        switch (this) {
            case VIEWER:
                return "GET".equals(method) || "HEAD".equals(method);
            case PUBLISHER:
                return "POST".equals(method) && ("publish".equals(path) || "publish/bulk".equals(path));
            default:
                return true;
        }
    }
}
