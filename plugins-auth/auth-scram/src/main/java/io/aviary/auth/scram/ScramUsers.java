package io.aviary.auth.scram;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.aviary.api.auth.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
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
 * The SCRAM users of every tenant that enabled auth-scram, one file each
 * ({@code <data dir>/auth-scram/<tenant>.json}, replaced atomically on every change), behind the
 * admin API's {@link UserStore} for EMQX's {@code /authentication/scram:built_in_database/users}.
 * A tenant's {@link ScramAuthenticator} attaches its settings when its instance starts, which is
 * what "enabled for the tenant" means. Reads see an immutable snapshot; a tenant's writes are
 * serialized and saved before they are published.
 */
@Component(service = {UserStore.class, ScramUsers.class})
public final class ScramUsers implements UserStore {
    static final String AUTHENTICATOR_ID = "scram:built_in_database";
    private static final Logger LOG = LoggerFactory.getLogger(ScramUsers.class);

    private static final class TenantUsers {
        final Path file;
        volatile Map<String, ScramUser> users;
        volatile ScramSettings settings;
        volatile Object owner;

        TenantUsers(Path file) {
            this.file = file;
            this.users = load(file);
        }
    }

    private final Map<String, TenantUsers> tenants = new ConcurrentHashMap<>();
    private Path directory;

    public ScramUsers() {
    }

    /** For tests: users kept under {@code directory}. */
    ScramUsers(Path directory) {
        this.directory = directory;
    }

    @Activate
    void activate(BundleContext context) {
        String data = context.getProperty("aviary.data.dir");
        directory = Paths.get(data == null || data.isBlank() ? "data" : data).resolve("auth-scram");
    }

    void attach(String tenant, ScramSettings settings, Object owner) {
        if (!tenant.matches("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("tenant id not usable as a file name: " + tenant);
        }
        TenantUsers t = tenants.computeIfAbsent(tenant, id -> new TenantUsers(directory.resolve(id + ".json")));
        t.settings = settings;
        t.owner = owner;
        LOG.info("auth-scram: tenant={} enabled ({} users, new keys for {} with {} iterations)", tenant, t.users.size(),
                settings.mechanism().getName(), settings.iterations());
    }

    void detach(String tenant, Object owner) {
        tenants.computeIfPresent(tenant, (id, t) -> t.owner == owner ? null : t);
    }

    /** The credentials to check an exchange against, or null when unknown or the tenant is not enabled. */
    ScramUser find(String tenant, String userId) {
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
        return of(tenant).users.values().stream().sorted(Comparator.comparing(ScramUser::userId))
                .map(u -> new StoredUser(u.userId(), u.superuser())).toList();
    }

    @Override
    public Optional<StoredUser> get(String tenant, String userId) {
        return Optional.ofNullable(of(tenant).users.get(userId)).map(u -> new StoredUser(u.userId(), u.superuser()));
    }

    @Override
    public boolean create(String tenant, String userId, String password, boolean superuser) {
        TenantUsers t = of(tenant);
        synchronized (t) {
            if (t.users.containsKey(userId)) {
                return false;
            }
            publish(t, Map.of(userId, ScramUser.of(userId, password, superuser, t.settings)), null);
        }
        LOG.info("auth-scram: tenant={} user '{}' created (superuser={})", tenant, userId, superuser);
        return true;
    }

    @Override
    public Optional<StoredUser> update(String tenant, String userId, String password, Boolean superuser) {
        TenantUsers t = of(tenant);
        ScramUser updated;
        synchronized (t) {
            ScramUser old = t.users.get(userId);
            if (old == null) {
                return Optional.empty();
            }
            boolean su = superuser != null ? superuser : old.superuser();
            updated = password != null ? ScramUser.of(userId, password, su, t.settings) : old.withSuperuser(su);
            publish(t, Map.of(userId, updated), null);
        }
        LOG.info("auth-scram: tenant={} user '{}' updated (password {}, superuser={})", tenant, userId,
                password != null ? "changed" : "kept", updated.superuser());
        return Optional.of(new StoredUser(userId, updated.superuser()));
    }

    @Override
    public boolean delete(String tenant, String userId) {
        TenantUsers t = of(tenant);
        synchronized (t) {
            if (!t.users.containsKey(userId)) {
                return false;
            }
            publish(t, Map.of(), userId);
        }
        LOG.info("auth-scram: tenant={} user '{}' deleted", tenant, userId);
        return true;
    }

    /**
     * Imports users with plain passwords (EMQX's {@code type=plain}); password hashes cannot become
     * SCRAM keys, so a row without a password is refused, naming the field.
     */
    @Override
    public int importUsers(String tenant, List<ImportedUser> users) {
        TenantUsers t = of(tenant);
        for (int i = 0; i < users.size(); i++) {
            if (users.get(i).password() == null) {
                throw new IllegalArgumentException("row " + (i + 1) + ": field 'password' is required (SCRAM keys are"
                        + " derived from the password; import with type=plain)");
            }
        }
        synchronized (t) {
            Map<String, ScramUser> added = new LinkedHashMap<>();
            for (ImportedUser u : users) {
                added.put(u.userId(), ScramUser.of(u.userId(), u.password(), u.superuser(), t.settings));
            }
            publish(t, added, null);
        }
        LOG.info("auth-scram: tenant={} {} users imported", tenant, users.size());
        return users.size();
    }

    private TenantUsers of(String tenant) {
        TenantUsers t = tenants.get(tenant);
        if (t == null) {
            throw new IllegalStateException("auth-scram is not enabled for tenant " + tenant);
        }
        return t;
    }

    /** Saves the new set first, so what clients are checked against is always what is on disk. */
    private static void publish(TenantUsers t, Map<String, ScramUser> put, String removed) {
        Map<String, ScramUser> next = new LinkedHashMap<>(t.users);
        next.putAll(put);
        if (removed != null) {
            next.remove(removed);
        }
        save(t.file, next);
        t.users = Map.copyOf(next);
    }

    private static Map<String, ScramUser> load(Path file) {
        Map<String, ScramUser> users = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return users;
        }
        try {
            JsonObject doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            for (JsonElement e : doc.getAsJsonArray("users")) {
                ScramUser u = ScramUser.fromJson(e.getAsJsonObject());
                users.put(u.userId(), u);
            }
            return users;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void save(Path file, Map<String, ScramUser> users) {
        JsonArray list = new JsonArray();
        users.values().forEach(u -> list.add(u.toJson()));
        JsonObject doc = new JsonObject();
        doc.add("users", list);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, new GsonBuilder().create().toJson(doc), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
