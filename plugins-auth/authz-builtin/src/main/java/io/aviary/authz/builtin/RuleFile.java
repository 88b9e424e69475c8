package io.aviary.authz.builtin;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One tenant's rules on disk: {@code <data dir>/authz-builtin/<tenant>.json}, replaced atomically
 * (written beside, then renamed) on every change, as auth-builtin keeps its users. The rules are
 * configuration, not session state, so they survive a restart in both durability modes. The file
 * reads as EMQX's API shows the rules:
 * {@code {"users": [{"username", "rules"}], "clients": [{"clientid", "rules"}], "all": [rules]}}.
 */
final class RuleFile {
    private static final Gson GSON = new Gson();
    private final Path file;

    RuleFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    RuleSet load() {
        if (!Files.exists(file)) {
            return RuleSet.EMPTY;
        }
        try {
            JsonObject doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            return new RuleSet(lists(doc.getAsJsonArray("users"), "username"), lists(doc.getAsJsonArray("clients"), "clientid"),
                    RuleList.of(RuleCodec.fromJson(doc.getAsJsonArray("all"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Map<String, RuleList> lists(JsonArray subjects, String key) {
        Map<String, RuleList> out = new LinkedHashMap<>();
        for (JsonElement e : subjects) {
            JsonObject s = e.getAsJsonObject();
            out.put(s.get(key).getAsString(), RuleList.of(RuleCodec.fromJson(s.getAsJsonArray("rules"))));
        }
        return out;
    }

    void save(RuleSet rules) {
        JsonObject doc = new JsonObject();
        doc.add("users", subjects(rules.users(), "username"));
        doc.add("clients", subjects(rules.clients(), "clientid"));
        doc.add("all", RuleCodec.toJson(rules.all().rules()));
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, GSON.toJson(doc), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException ignored) {
            // the failure being reported is the write's; a stray .tmp file is harmless
        }
    }

    /** Sorted by name, so the file is stable and diffs read well. */
    private static JsonArray subjects(Map<String, RuleList> lists, String key) {
        JsonArray a = new JsonArray();
        new TreeMap<>(lists).forEach((name, list) -> {
            JsonObject s = new JsonObject();
            s.addProperty(key, name);
            s.add("rules", RuleCodec.toJson(list.rules()));
            a.add(s);
        });
        return a;
    }
}
