package io.aviary.integration;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import io.aviary.api.integration.Integrations.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every tenant's connectors, actions and sources in {@code <data dir>/integrations.json},
 * rewritten whole through a temporary file and an atomic move on each change (they change
 * rarely), as rules.json keeps rules. A file that cannot be read stops the start rather than
 * starting empty and overwriting it at the next change.
 */
final class IntegrationFile {

    /** One stored resource. */
    record Entry(String tenant, Resource resource) {}

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();
    private static final Type MAP = new TypeToken<Map<String, Object>>() { }.getType();

    private final Path file;

    /** {@code file} null keeps nothing (tests). */
    IntegrationFile(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** @throws IllegalStateException naming the file when it cannot be read */
    List<Entry> load() {
        List<Entry> out = new ArrayList<>();
        if (file == null) {
            return out;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return out;
        } catch (IOException e) {
            throw unreadable(e);
        }
        try {
            JsonObject doc = GSON.fromJson(text, JsonObject.class);
            for (Kind kind : Kind.values()) {
                JsonArray list = doc.getAsJsonArray(kind.plural());
                if (list == null) {
                    continue;
                }
                for (JsonElement e : list) {
                    JsonObject o = e.getAsJsonObject();
                    Map<String, Object> config = GSON.fromJson(o.get("config"), MAP);
                    out.add(new Entry(o.get("tenant").getAsString(),
                            Resource.parse(kind, config, null, o.get("created_at").getAsLong())));
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw unreadable(e);
        }
    }

    private IllegalStateException unreadable(Exception e) {
        return new IllegalStateException("cannot read the data integrations from " + file + " (" + e
                + "); fix or restore the file, or move it away to start with none", e);
    }

    synchronized void save(List<Entry> entries) {
        if (file == null) {
            return;
        }
        JsonObject doc = new JsonObject();
        for (Kind kind : Kind.values()) {
            doc.add(kind.plural(), new JsonArray());
        }
        for (Entry e : entries) {
            JsonObject o = new JsonObject();
            o.addProperty("tenant", e.tenant());
            o.addProperty("created_at", e.resource().createdAt());
            o.add("config", GSON.toJsonTree(e.resource().raw()));
            doc.getAsJsonArray(e.resource().kind().plural()).add(o);
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, GSON.toJson(doc), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
