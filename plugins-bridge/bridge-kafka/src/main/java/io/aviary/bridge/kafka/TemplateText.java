package io.aviary.bridge.kafka;

import io.aviary.api.rules.TextTemplate;
import java.util.regex.Pattern;

/**
 * Parses an action's or source's template field. EMQX writes root paths with a leading dot
 * ({@code ${.clientid}}, its default key template); the rule engine's templates read that dot as
 * an empty first key, so it is dropped here ({@code ${.}} stays the whole record).
 */
final class TemplateText {
    private static final Pattern LEADING_DOT = Pattern.compile("\\$\\{\\s*\\.(?=[^}\\s])");

    private TemplateText() {
    }

    static String normalize(String template) {
        return LEADING_DOT.matcher(template).replaceAll("\\${");
    }

    static TextTemplate parse(io.aviary.api.rules.Templates templates, ConfigValues values, String key, String fallback) {
        String text = values.text(key, fallback);
        if (text == null) {
            throw new IllegalArgumentException(values.field(key) + ": is required");
        }
        try {
            return templates.text(normalize(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(values.field(key) + ": " + e.getMessage(), e);
        }
    }
}
