package io.aviary.api.auth;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The users of a password database kept inside Aviary (EMQX's built-in database), one set per
 * tenant. An auth plugin registers it so the admin API can offer EMQX's
 * {@code /authentication/{id}/users} endpoints without reaching into the plugin. Every method
 * takes the tenant; a tenant that has not enabled the plugin gets {@link IllegalStateException}.
 * Passwords are hashed by the store with the tenant's configured algorithm and never returned.
 */
@ConsumerType
public interface UserStore {

    /** EMQX's authenticator id of this store, e.g. {@code password_based:built_in_database}. */
    String authenticatorId();

    /** Whether the tenant has enabled the store (has an instance of its plugin). */
    boolean enabled(String tenant);

    /** The tenant's users, sorted by user id. */
    List<StoredUser> list(String tenant);

    Optional<StoredUser> get(String tenant, String userId);

    /**
     * Adds a user.
     *
     * @return false when a user with that id exists (nothing changed)
     */
    boolean create(String tenant, String userId, String password, boolean superuser);

    /**
     * Changes a user's password (when not null) and superuser flag (when not null).
     *
     * @return the user as stored, or empty when there is no such user
     */
    Optional<StoredUser> update(String tenant, String userId, String password, Boolean superuser);

    /** @return false when there was no such user */
    boolean delete(String tenant, String userId);

    /**
     * Adds users as EMQX exports them, replacing users of the same id: each either with a plain
     * password (hashed by the store) or with a password hash and salt made with the tenant's
     * configured algorithm (EMQX's {@code type=hash} import).
     *
     * @return how many users were stored
     */
    int importUsers(String tenant, List<ImportedUser> users);

    /** One imported user: {@code password} set, or {@code passwordHash} (and {@code salt}, "" if none). */
    record ImportedUser(String userId, String password, String passwordHash, String salt, boolean superuser) {
    }

    /** A user as the API shows it: never the password or its hash. */
    record StoredUser(String userId, boolean superuser) {
    }
}
