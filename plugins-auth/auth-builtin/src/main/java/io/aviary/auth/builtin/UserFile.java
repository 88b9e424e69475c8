package io.aviary.auth.builtin;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One tenant's users on disk: {@code <data dir>/auth-builtin/<tenant>.json}, replaced atomically
 * (write beside, then rename) on every change, as the tenant registry keeps tenants.json. A file
 * survives a restart whatever the broker's durability mode, because the users are configuration,
 * not session state.
 */
final class UserFile {
    private static final Gson GSON = new Gson();
    private final Path file;

    UserFile(Path file) {
        this.file = file;
    }

    Map<String, User> load() {
        Map<String, User> users = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return users;
        }
        try {
            JsonObject doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            for (JsonElement e : doc.getAsJsonArray("users")) {
                User u = User.fromJson(e.getAsJsonObject());
                users.put(u.userId(), u);
            }
            return users;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void save(Collection<User> users) {
        JsonArray list = new JsonArray();
        users.forEach(u -> list.add(u.toJson()));
        JsonObject doc = new JsonObject();
        doc.add("users", list);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, GSON.toJson(doc), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
