package io.aviary.auth.sql;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.auth.jwt.acl.AclClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows an authorization source's query returned, as rules: EMQX's columns {@code permission}
 * (allow or deny), {@code action} (publish, subscribe or all), {@code topic} (a filter with
 * {@code ${username}} / {@code ${clientid}} placeholders, or {@code eq <topic>} for an exact
 * match), and optionally {@code qos} (0, 1, 2 or a list such as "0,1") and {@code retain} (0/1,
 * true/false). They are checked in row order, first match wins, no match ignores; the matching is
 * auth-jwt's acl rules (copied in), which implement exactly these fields. A row that does not read
 * is skipped and reported, as EMQX does, so one bad row does not hide the others.
 */
public final class AclRows {
    private AclRows() {
    }

    /** The rules, and the problems of the rows that were skipped. */
    public record Rules(AclClaim acl, List<String> skipped) {
    }

    public static Rules of(List<Map<String, Object>> rows) {
        JsonArray rules = new JsonArray();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            try {
                JsonObject rule = rule(rows.get(i));
                AclClaim.parse("[" + rule + "]"); // the same checks, so a bad row fails alone
                rules.add(rule);
            } catch (RuntimeException e) {
                skipped.add("row " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Rules(AclClaim.parse(rules.toString()), skipped);
    }

    static JsonObject rule(Map<String, Object> row) {
        JsonObject rule = new JsonObject();
        rule.addProperty("permission", lower(required(row, "permission")));
        rule.addProperty("action", lower(required(row, "action")));
        rule.addProperty("topic", required(row, "topic"));
        String qos = RowValues.text(row.get("qos"));
        if (qos != null && !qos.isBlank()) {
            JsonArray levels = new JsonArray();
            for (String q : qos.split(",")) {
                int level;
                try {
                    level = Integer.parseInt(q.trim());
                } catch (NumberFormatException e) {
                    level = -1;
                }
                if (level < 0 || level > 2) {
                    throw new IllegalArgumentException("qos must be 0, 1, 2 or a list such as 0,1, was " + qos);
                }
                levels.add(level);
            }
            rule.add("qos", levels);
        }
        Object retain = row.get("retain");
        if (retain != null && !RowValues.text(retain).isBlank()) {
            String t = RowValues.text(retain).trim().toLowerCase(Locale.ROOT);
            if (!(retain instanceof Boolean) && !List.of("0", "1", "true", "false").contains(t)
                    && !(retain instanceof byte[])) {
                throw new IllegalArgumentException("retain must be 0, 1, true or false, was " + t);
            }
            rule.addProperty("retain", RowValues.flag(retain));
        }
        return rule;
    }

    private static String required(Map<String, Object> row, String column) {
        String v = RowValues.text(row.get(column));
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("no " + column + (row.containsKey(column) ? " value" : " column"));
        }
        return v.trim();
    }

    private static String lower(String v) {
        return v.toLowerCase(Locale.ROOT);
    }
}
