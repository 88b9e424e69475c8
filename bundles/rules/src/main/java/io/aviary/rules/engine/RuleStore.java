package io.aviary.rules.engine;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.aviary.api.rules.RuleAction;
import io.aviary.api.rules.RuleDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every tenant's rules in {@code <data dir>/rules.json}, rewritten whole through a temporary file
 * and an atomic move on each change (rules change rarely, and must survive a restart whatever the
 * broker's durability mode), as the broker keeps its tenants. A file that cannot be read stops
 * the start instead of starting with no rules and overwriting them at the next change.
 */
final class RuleStore {

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create();

    private final Path file;

    /** {@code file} null keeps rules in memory only (tests). */
    RuleStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * The stored rules (none when the file does not exist yet).
     *
     * @throws IllegalStateException naming the file and the fault when it cannot be read
     */
    List<RuleDefinition> load() {
        if (file == null) {
            return List.of();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw unreadable(e);
        }
        try {
            JsonObject doc = GSON.fromJson(text, JsonObject.class);
            List<RuleDefinition> out = new ArrayList<>();
            for (JsonElement e : doc.getAsJsonArray("rules")) {
                out.add(fromJson(e.getAsJsonObject()));
            }
            return out;
        } catch (RuntimeException e) {
            throw unreadable(e);
        }
    }

    private IllegalStateException unreadable(Exception e) {
        return new IllegalStateException("cannot read the rules from " + file + " (" + e
                + "); fix or restore the file, or move it away to start with no rules", e);
    }

    synchronized void save(List<RuleDefinition> rules) {
        if (file == null) {
            return;
        }
        JsonArray all = new JsonArray();
        rules.forEach(r -> all.add(toJson(r)));
        JsonObject doc = new JsonObject();
        doc.addProperty("version", 1);
        doc.add("rules", all);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, GSON.toJson(doc), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static JsonObject toJson(RuleDefinition r) {
        JsonObject o = new JsonObject();
        o.addProperty("id", r.id());
        o.addProperty("tenant", r.tenant());
        o.addProperty("sql", r.sql());
        JsonArray actions = new JsonArray();
        for (RuleAction a : r.actions()) {
            JsonObject ao = new JsonObject();
            ao.addProperty("function", a.function());
            ao.add("args", GSON.toJsonTree(a.args()));
            actions.add(ao);
        }
        o.add("actions", actions);
        o.addProperty("enable", r.enable());
        o.addProperty("description", r.description());
        o.addProperty("created_at", r.createdAt());
        return o;
    }

    private static RuleDefinition fromJson(JsonObject o) {
        List<RuleAction> actions = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("actions")) {
            JsonObject ao = e.getAsJsonObject();
            @SuppressWarnings("unchecked")
            Map<String, Object> args = ao.has("args") ? (Map<String, Object>) plain(ao.get("args")) : Map.of();
            actions.add(new RuleAction(ao.get("function").getAsString(), args));
        }
        return new RuleDefinition(o.get("id").getAsString(), o.get("tenant").getAsString(), o.get("sql").getAsString(),
                actions, o.get("enable").getAsBoolean(), o.get("description").getAsString(), o.get("created_at").getAsLong());
    }

    /** JSON as plain values: whole numbers as Long, others as Double. */
    static Object plain(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            e.getAsJsonObject().entrySet().forEach(x -> m.put(x.getKey(), plain(x.getValue())));
            return m;
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> l.add(plain(x)));
            return l;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            BigDecimal d = p.getAsBigDecimal();
            try {
                return d.longValueExact();
            } catch (ArithmeticException notWhole) {
                return d.doubleValue();
            }
        }
        return p.getAsString();
    }
}
