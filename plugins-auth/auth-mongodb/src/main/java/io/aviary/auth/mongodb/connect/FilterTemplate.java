package io.aviary.auth.mongodb.connect;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * EMQX's {@code filter}: a query document whose string values may hold placeholders such as
 * {@code ${username}}. The text is parsed ONCE, when the instance is configured; a client's values
 * are then put into the parsed document as BSON strings, never into the text. So a user name like
 * {@code {"$ne": null}} or {@code $where} is a string that the server compares, not an operator it
 * runs (the NoSQL form of a prepared statement). Keys are never rendered, and a placeholder in a key
 * or inside an operator that runs or matches code or patterns ({@code $where}, {@code $regex}, ...) is
 * refused at configuration time.
 */
public final class FilterTemplate {
    /** EMQX's default for both the authenticator and the authorization source. */
    public static final String DEFAULT = "{\"username\": \"${username}\"}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");
    /** Operators whose argument is code, a pattern or a schema: a client's value must never become one. */
    private static final Set<String> UNSAFE = Set.of("$where", "$regex", "$expr", "$function", "$accumulator",
            "$jsonSchema", "$text", "$options");

    private final BsonDocument template;

    private FilterTemplate(BsonDocument template) {
        this.template = template;
    }

    /** @throws IllegalArgumentException "filter: ..." when the text is not a JSON document or misuses placeholders */
    public static FilterTemplate parse(String json) {
        BsonDocument doc;
        try {
            doc = BsonDocument.parse(json);
        } catch (RuntimeException e) { // JsonParseException, BsonInvalidOperationException (not a document), ...
            throw new IllegalArgumentException("filter: not a JSON document: " + e.getMessage(), e);
        }
        check(doc, false);
        return new FilterTemplate(doc);
    }

    private static void check(BsonValue v, boolean insideUnsafe) {
        if (v.isDocument()) {
            for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
                if (PLACEHOLDER.matcher(e.getKey()).find()) {
                    throw new IllegalArgumentException("filter: placeholders are allowed in values only, not in the key '"
                            + e.getKey() + "'");
                }
                check(e.getValue(), insideUnsafe || UNSAFE.contains(e.getKey()));
            }
        } else if (v.isArray()) {
            v.asArray().forEach(item -> check(item, insideUnsafe));
        } else if (insideUnsafe && v.isString() && PLACEHOLDER.matcher(v.asString().getValue()).find()) {
            throw new IllegalArgumentException("filter: a placeholder may not be used inside $where, $regex, $expr, "
                    + "$function, $accumulator, $jsonSchema, $text or $options");
        }
    }

    /**
     * The query for one client: every string value holding placeholders becomes a string with their
     * values (a missing value renders empty, an unknown placeholder stays as written).
     */
    public BsonDocument render(Map<String, String> values) {
        return (BsonDocument) render(template, values);
    }

    private static BsonValue render(BsonValue v, Map<String, String> values) {
        if (v.isDocument()) {
            BsonDocument out = new BsonDocument();
            v.asDocument().forEach((k, child) -> out.put(k, render(child, values)));
            return out;
        }
        if (v.isArray()) {
            BsonArray out = new BsonArray();
            v.asArray().forEach(child -> out.add(render(child, values)));
            return out;
        }
        if (v.isString() && v.asString().getValue().contains("${")) {
            return new BsonString(substitute(v.asString().getValue(), values));
        }
        return v; // BSON values are immutable apart from documents and arrays, which are copied above
    }

    static String substitute(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = values.containsKey(name) ? values.get(name)
                    : PlaceholderValues.KNOWN.contains(name) || name.startsWith("client_attrs.") ? "" : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public String toString() {
        return template.toJson();
    }
}
