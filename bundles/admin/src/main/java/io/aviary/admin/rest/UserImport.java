package io.aviary.admin.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.aviary.admin.error.ApiException;
import io.aviary.api.auth.UserStore.ImportedUser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads the user files EMQX's built-in database exports and imports: CSV whose header names the
 * columns ({@code user_id,password_hash,salt,is_superuser}, or {@code user_id,password,is_superuser}
 * for plain passwords) and the JSON array of the same fields. A bad row is a 400 naming its row.
 */
final class UserImport {
    static final int MAX_USERS = 100_000;

    private UserImport() {
    }

    static List<ImportedUser> fromCsv(String text, boolean plain) {
        String[] lines = text.replace("\r", "").split("\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw ApiException.badRequest("the CSV needs a header line, e.g. user_id,password_hash,salt,is_superuser");
        }
        List<String> header = Arrays.stream(lines[0].split(",", -1)).map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        int id = header.indexOf("user_id");
        int password = header.indexOf(plain ? "password" : "password_hash");
        int salt = header.indexOf("salt");
        int superuser = header.indexOf("is_superuser");
        if (id < 0 || password < 0) {
            throw ApiException.badRequest("the CSV header must name user_id and " + (plain ? "password" : "password_hash"));
        }
        List<ImportedUser> users = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cells = lines[i].split(",", -1);
            if (cells.length != header.size()) {
                throw ApiException.badRequest("row " + (i + 1) + ": " + cells.length + " fields, the header has " + header.size());
            }
            String secret = cells[password].trim();
            users.add(user(i + 1, cells[id].trim(), plain, secret,
                    salt < 0 ? "" : cells[salt].trim(), superuser >= 0 && cells[superuser].trim().equalsIgnoreCase("true")));
        }
        return users;
    }

    static List<ImportedUser> fromJson(String text, boolean plain) {
        JsonElement doc;
        try {
            doc = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getMessage());
        }
        if (!doc.isJsonArray()) {
            throw ApiException.badRequest("the JSON must be an array of users");
        }
        List<ImportedUser> users = new ArrayList<>();
        int row = 0;
        for (JsonElement e : doc.getAsJsonArray()) {
            row++;
            if (!e.isJsonObject()) {
                throw ApiException.badRequest("row " + row + ": not an object");
            }
            JsonObject o = e.getAsJsonObject();
            users.add(user(row, text(o, "user_id"), plain, text(o, plain ? "password" : "password_hash"), o.has("salt") ? text(o, "salt") : "",
                    o.has("is_superuser") && o.get("is_superuser").isJsonPrimitive() && o.get("is_superuser").getAsBoolean()));
        }
        return users;
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    private static ImportedUser user(int row, String id, boolean plain, String secret, String salt, boolean superuser) {
        if (id == null || id.isEmpty() || id.length() > AuthnUserResource.MAX_USER_ID) {
            throw ApiException.badRequest("row " + row + ": field 'user_id' must be 1 to " + AuthnUserResource.MAX_USER_ID + " characters");
        }
        if (secret == null || secret.isEmpty() || secret.length() > AuthnUserResource.MAX_PASSWORD) {
            throw ApiException.badRequest("row " + row + ": field '" + (plain ? "password" : "password_hash")
                    + "' is missing or too long");
        }
        if (row > MAX_USERS) {
            throw ApiException.badRequest("at most " + MAX_USERS + " users per import");
        }
        return new ImportedUser(id, plain ? secret : null, plain ? null : secret, salt, superuser);
    }
}
