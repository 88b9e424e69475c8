package io.aviary.auth.builtin;

import io.aviary.auth.builtin.hash.PasswordHasher;
import io.aviary.auth.builtin.hash.HashSpec;
import io.aviary.api.auth.UserStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of every tenant that enabled auth-builtin, one {@link UserFile} each. It is one
 * service for the whole bundle (the admin API's {@link UserStore}); each tenant's
 * {@link BuiltinAuthenticator} attaches its settings here when its instance starts, which is
 * what "enabled for the tenant" means. Reads see an immutable snapshot; writes of a tenant are
 * serialized and saved before they are published.
 */
@Component(service = {UserStore.class, BuiltinDatabase.class})
public final class BuiltinDatabase implements UserStore {
    static final String AUTHENTICATOR_ID = "password_based:built_in_database";
    private static final Logger LOG = LoggerFactory.getLogger(BuiltinDatabase.class);

    /** One tenant's users and the settings of its instance. */
    private static final class TenantUsers {
        final UserFile file;
        volatile Map<String, User> users;
        volatile Settings settings;
        volatile Object owner;

        TenantUsers(UserFile file) {
            this.file = file;
            this.users = Map.copyOf(file.load());
        }
    }

    private final Map<String, TenantUsers> tenants = new ConcurrentHashMap<>();
    private Path directory;

    public BuiltinDatabase() {
    }

    /** For tests: users kept under {@code directory}. */
    BuiltinDatabase(Path directory) {
        this.directory = directory;
    }

    @Activate
    void activate(BundleContext context) {
        String data = context.getProperty("aviary.data.dir");
        directory = Paths.get(data == null || data.isBlank() ? "data" : data).resolve("auth-builtin");
    }

    /** Enables the tenant with these settings; {@code owner} is the instance, so a late detach of an old one is harmless. */
    void attach(String tenant, Settings settings, Object owner) {
        if (!tenant.matches("[A-Za-z0-9_.-]{1,64}") || tenant.startsWith(".")) {
            throw new IllegalArgumentException("tenant id not usable as a file name: " + tenant);
        }
        TenantUsers t = tenants.computeIfAbsent(tenant, id -> new TenantUsers(new UserFile(directory.resolve(id + ".json"))));
        t.settings = settings;
        t.owner = owner;
        LOG.info("auth-builtin: tenant={} enabled ({} users, user id = {}, new passwords hashed with {})",
                tenant, t.users.size(), settings.userIdType(), settings.algorithm().name());
    }

    void detach(String tenant, Object owner) {
        tenants.computeIfPresent(tenant, (id, t) -> t.owner == owner ? null : t);
    }

    /** The user to check a CONNECT against, or null when unknown or the tenant is not enabled. */
    User find(String tenant, String userId) {
        TenantUsers t = tenants.get(tenant);
        return t == null || userId == null ? null : t.users.get(userId);
    }

    @Override
    public String authenticatorId() {
        return AUTHENTICATOR_ID;
    }

    @Override
    public boolean enabled(String tenant) {
        return tenants.containsKey(tenant);
    }

    @Override
    public List<StoredUser> list(String tenant) {
        return of(tenant).users.values().stream().sorted(Comparator.comparing(User::userId))
                .map(BuiltinDatabase::shown).toList();
    }

    @Override
    public Optional<StoredUser> get(String tenant, String userId) {
        return Optional.ofNullable(of(tenant).users.get(userId)).map(BuiltinDatabase::shown);
    }

    @Override
    public boolean create(String tenant, String userId, String password, boolean superuser) {
        TenantUsers t = of(tenant);
        synchronized (t) {
            if (t.users.containsKey(userId)) {
                return false;
            }
            HashSpec spec = t.settings.algorithm();
            PasswordHasher.Hashed h = PasswordHasher.hash(spec, password.getBytes(StandardCharsets.UTF_8));
            publish(t, new User(userId, h.hash(), h.salt(), superuser, spec), null);
        }
        LOG.info("auth-builtin: tenant={} user '{}' created (superuser={})", tenant, userId, superuser);
        return true;
    }

    @Override
    public Optional<StoredUser> update(String tenant, String userId, String password, Boolean superuser) {
        TenantUsers t = of(tenant);
        User updated;
        synchronized (t) {
            User old = t.users.get(userId);
            if (old == null) {
                return Optional.empty();
            }
            updated = old;
            if (password != null) {
                HashSpec spec = t.settings.algorithm();
                PasswordHasher.Hashed h = PasswordHasher.hash(spec, password.getBytes(StandardCharsets.UTF_8));
                updated = new User(userId, h.hash(), h.salt(), old.superuser(), spec);
            }
            if (superuser != null) {
                updated = new User(userId, updated.passwordHash(), updated.salt(), superuser, updated.algorithm());
            }
            publish(t, updated, null);
        }
        LOG.info("auth-builtin: tenant={} user '{}' updated (password {}, superuser={})", tenant, userId,
                password != null ? "changed" : "kept", updated.superuser());
        return Optional.of(shown(updated));
    }

    @Override
    public boolean delete(String tenant, String userId) {
        TenantUsers t = of(tenant);
        synchronized (t) {
            if (!t.users.containsKey(userId)) {
                return false;
            }
            publish(t, null, userId);
        }
        LOG.info("auth-builtin: tenant={} user '{}' deleted", tenant, userId);
        return true;
    }

    @Override
    public int importUsers(String tenant, List<ImportedUser> users) {
        TenantUsers t = of(tenant);
        synchronized (t) {
            HashSpec spec = t.settings.algorithm();
            Map<String, User> next = new LinkedHashMap<>(t.users);
            for (ImportedUser u : users) {
                User user;
                if (u.password() != null) {
                    PasswordHasher.Hashed h = PasswordHasher.hash(spec, u.password().getBytes(StandardCharsets.UTF_8));
                    user = new User(u.userId(), h.hash(), h.salt(), u.superuser(), spec);
                } else {
                    user = new User(u.userId(), u.passwordHash(), u.salt() == null ? "" : u.salt(), u.superuser(), spec);
                }
                next.put(user.userId(), user);
            }
            t.file.save(new ArrayList<>(next.values()));
            t.users = Map.copyOf(next);
        }
        LOG.info("auth-builtin: tenant={} {} users imported", tenant, users.size());
        return users.size();
    }

    /** Saves the new set first, so what clients are checked against is always what is on disk. */
    private static void publish(TenantUsers t, User put, String removed) {
        Map<String, User> next = new LinkedHashMap<>(t.users);
        if (put != null) {
            next.put(put.userId(), put);
        }
        if (removed != null) {
            next.remove(removed);
        }
        t.file.save(new ArrayList<>(next.values()));
        t.users = Map.copyOf(next);
    }

    private TenantUsers of(String tenant) {
        TenantUsers t = tenants.get(tenant);
        if (t == null) {
            throw new IllegalStateException("auth-builtin is not enabled for tenant " + tenant);
        }
        return t;
    }

    private static StoredUser shown(User u) {
        return new StoredUser(u.userId(), u.superuser());
    }
}
