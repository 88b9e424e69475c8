package io.aviary.admin.auth;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.aviary.admin.error.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys (EMQX's /api_key): created with a random key and secret, the secret shown once and
 * stored only as a PBKDF2 hash. Kept in a JSON file under the data directory, rewritten
 * atomically on every change, so keys survive a restart. At most {@link #MAX_KEYS} keys.
 */
public final class ApiKeyStore {

    public static final int MAX_KEYS = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,127}");
    private static final int MAX_DESC = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyStore.class);

    /** What {@link #create} returns: the stored key and its secret, which is never seen again. */
    public record Created(ApiKey key, String secret) {
    }

    private final Path file;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Gson gson = new GsonBuilder().setPrettyPrinting().create();
    private volatile Map<String, ApiKey> byName;

    public ApiKeyStore(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        this.byName = Map.copyOf(load(file));
    }

    public List<ApiKey> list() {
        List<ApiKey> keys = new ArrayList<>(byName.values());
        keys.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
        return keys;
    }

    public Optional<ApiKey> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<ApiKey> byApiKey(String apiKey) {
        return byName.values().stream().filter(k -> k.apiKey().equals(apiKey)).findFirst();
    }

    public synchronized Created create(String name, Instant expiredAt, String desc, boolean enable) {
        return create(name, expiredAt, desc, enable, Role.ADMINISTRATOR, null);
    }

    public synchronized Created create(String name, Instant expiredAt, String desc, boolean enable, Role role,
                                       String tenant) {
        validateName(name);
        validateDesc(desc);
        if (byName.containsKey(name)) {
            throw new ApiException(409, "ALREADY_EXISTS", "api key '" + name + "' already exists");
        }
        if (byName.size() >= MAX_KEYS) {
            throw new ApiException(409, "LIMIT_EXCEEDED", "at most " + MAX_KEYS + " api keys may exist");
        }
        String apiKey = HexFormat.of().formatHex(randomBytes(8));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        ApiKey key = new ApiKey(name, apiKey, PasswordHash.create(secret).text(), expiredAt, desc, enable,
                clock.instant(), role, tenant);
        replace(name, key);
        return new Created(key, secret);
    }

    public synchronized Optional<ApiKey> update(String name, Instant expiredAt, String desc, boolean enable) {
        validateDesc(desc);
        ApiKey old = byName.get(name);
        if (old == null) {
            return Optional.empty();
        }
        ApiKey key = old.withSettings(expiredAt, desc, enable);
        replace(name, key);
        return Optional.of(key);
    }

    public synchronized Optional<ApiKey> changeRole(String name, Role role) {
        ApiKey old = byName.get(name);
        if (old == null) {
            return Optional.empty();
        }
        ApiKey key = old.withSecretAndRole(old.secretHash(), role);
        replace(name, key);
        return Optional.of(key);
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /**
     * Adds or refreshes a key given by the operator (EMQX's bootstrap file): the key keeps its
     * api_key, the secret is stored hashed, and a changed secret or role in the file wins.
     */
    public synchronized ApiKey bootstrap(String apiKey, String secret, Role role) {
        String name = "bootstrap-" + apiKey;
        ApiKey old = byApiKey(apiKey).orElse(null);
        if (old != null && PasswordHash.parse(old.secretHash()).matches(secret) && old.role() == role) {
            return old;
        }
        ApiKey key = old != null ? old.withSecretAndRole(PasswordHash.create(secret).text(), role)
                : new ApiKey(name, apiKey, PasswordHash.create(secret).text(), null, "from the bootstrap file", true,
                        clock.instant(), role, null);
        replace(key.name(), key);
        return key;
    }

    public synchronized boolean delete(String name) {
        if (!byName.containsKey(name)) {
            return false;
        }
        replace(name, null);
        return true;
    }

    private void replace(String name, ApiKey key) {
        Map<String, ApiKey> next = new LinkedHashMap<>(byName);
        if (key == null) {
            next.remove(name);
        } else {
            next.put(name, key);
        }
        save(next);
        byName = Map.copyOf(next);
    }

    private static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("field 'name' must start with a letter and hold only letters, digits,"
                    + " '-' and '_' (at most 128 characters)");
        }
    }

    private static void validateDesc(String desc) {
        if (desc != null && desc.length() > MAX_DESC) {
            throw ApiException.badRequest("field 'desc' must be at most " + MAX_DESC + " characters");
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private void save(Map<String, ApiKey> keys) {
        JsonArray array = new JsonArray();
        keys.values().forEach(k -> array.add(toJson(k)));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, gson.toJson(array), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write api keys to " + file, e);
        }
    }

    private static JsonObject toJson(ApiKey k) {
        JsonObject o = new JsonObject();
        o.addProperty("name", k.name());
        o.addProperty("api_key", k.apiKey());
        o.addProperty("secret_hash", k.secretHash());
        o.addProperty("expired_at", k.expiredAt() == null ? null : k.expiredAt().toString());
        o.addProperty("desc", k.desc());
        o.addProperty("enable", k.enable());
        o.addProperty("created_at", k.createdAt().toString());
        o.addProperty("role", k.role().id());
        o.addProperty("tenant", k.tenant());
        return o;
    }

    /** Reads the file; a corrupt file is set aside (renamed) so a later save cannot destroy it. */
    private static Map<String, ApiKey> load(Path file) {
        Map<String, ApiKey> keys = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return keys;
        }
        try {
            JsonArray array = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonArray();
            for (JsonElement e : array) {
                ApiKey key = fromJson(e.getAsJsonObject());
                PasswordHash.parse(key.secretHash());
                keys.put(key.name(), key);
            }
            return keys;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
            LOG.error("admin api: api key file {} is unreadable ({}); moved to {}, starting with no api keys",
                    file, e.toString(), aside);
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                throw new UncheckedIOException("cannot set aside corrupt api key file " + file, moveFailed);
            }
            return new LinkedHashMap<>();
        }
    }

    private static ApiKey fromJson(JsonObject o) {
        JsonElement expired = o.get("expired_at");
        JsonElement desc = o.get("desc");
        JsonElement role = o.get("role");
        JsonElement tenant = o.get("tenant");
        return new ApiKey(o.get("name").getAsString(), o.get("api_key").getAsString(),
                o.get("secret_hash").getAsString(),
                expired == null || expired.isJsonNull() ? null : Instant.parse(expired.getAsString()),
                desc == null || desc.isJsonNull() ? null : desc.getAsString(),
                o.get("enable").getAsBoolean(), Instant.parse(o.get("created_at").getAsString()),
                role == null ? Role.ADMINISTRATOR : Role.parse(role.getAsString()).orElseThrow(),
                tenant == null || tenant.isJsonNull() ? null : tenant.getAsString());
    }
}
