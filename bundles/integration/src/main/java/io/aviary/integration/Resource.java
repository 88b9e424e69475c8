package io.aviary.integration;

import io.aviary.api.integration.Integrations.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A connector, action or source as its owner configured it, in EMQX 5's shape: the request body
 * as given (kept whole, so the API shows what was sent), with the parts the runtime reads parsed
 * and checked: type, name, enable, resource_opts, and for actions and sources the connector's
 * name and the parameters. What belongs to the plugin (a connector's own fields, the
 * parameters) is checked against the type's JSON Schemas by the runtime.
 */
record Resource(Kind kind, String type, String name, Map<String, Object> raw, ResourceOpts opts, boolean enable,
        long createdAt) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    /** Top-level fields of an action or source that are the runtime's (everything else is refused). */
    private static final Set<String> CHANNEL_FIELDS = Set.of("type", "name", "connector", "parameters",
            "resource_opts", "enable", "description", "tags", "local_topic", "fallback_actions", "created_at");
    /** Fields of a connector that are the runtime's, not the plugin's. */
    private static final Set<String> RUNTIME_FIELDS = Set.of("type", "name", "resource_opts", "enable", "description",
            "tags", "created_at", "status", "status_reason", "node_status", "actions", "sources");

    String id() {
        return type + ":" + name;
    }

    /**
     * Checks a request body.
     *
     * @param fixedId the id from the path for an update ("http:c1"), or null on create
     */
    static Resource parse(Kind kind, Map<String, Object> body, String fixedId, long createdAt) {
        Map<String, Object> raw = new LinkedHashMap<>(body);
        raw.remove("status");
        raw.remove("status_reason");
        raw.remove("node_status");
        raw.remove("created_at");
        if (fixedId != null) {
            String[] parts = splitId(fixedId);
            check(!raw.containsKey("type") || parts[0].equals(raw.get("type")), "type",
                    "must be '" + parts[0] + "' (the id's type) or left out");
            check(!raw.containsKey("name") || parts[1].equals(raw.get("name")), "name",
                    "must be '" + parts[1] + "' (the id's name) or left out");
            raw.put("type", parts[0]);
            raw.put("name", parts[1]);
        }
        String type = string(raw, "type");
        check(TYPE.matcher(type).matches(), "type", "must be a type name such as \"http\" (lower case letters,"
                + " digits, _), was '" + type + "'");
        String name = string(raw, "name");
        check(NAME.matcher(name).matches(), "name", "must be 1 to 255 letters, digits, '_', '-' or '.', starting"
                + " with a letter or digit, was '" + name + "'");
        Object enable = raw.getOrDefault("enable", Boolean.TRUE);
        check(enable instanceof Boolean, "enable", "must be true or false");
        ResourceOpts opts = ResourceOpts.of(raw.get("resource_opts"), "resource_opts");
        if (kind != Kind.CONNECTOR) {
            string(raw, "connector");
            Object p = raw.get("parameters");
            check(p == null || p instanceof Map, "parameters", "must be an object");
            if (p == null) {
                raw.put("parameters", new LinkedHashMap<>());
            }
            for (String key : raw.keySet()) {
                check(CHANNEL_FIELDS.contains(key), key, "is not a field of an " + (kind == Kind.ACTION ? "action"
                        : "source") + " (the type's own fields go in 'parameters')");
            }
        }
        raw.put("enable", enable);
        return new Resource(kind, type, name, raw, opts, (Boolean) enable, createdAt);
    }

    /** "http:c1" as {type, name}; 400 naming the id when it is not one. */
    static String[] splitId(String id) {
        int colon = id == null ? -1 : id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1) {
            throw new IllegalArgumentException("field 'id' must be type:name, was '" + id + "'");
        }
        return new String[] {id.substring(0, colon), id.substring(colon + 1)};
    }

    /** The connector's name (actions and sources). */
    String connector() {
        return (String) raw.get("connector");
    }

    /** The connector's id, type:name: an action's connector has the action's type. */
    String connectorId() {
        return type + ":" + connector();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> parameters() {
        return (Map<String, Object>) raw.getOrDefault("parameters", Map.of());
    }

    /** A connector's own fields, for its plugin. */
    Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>(raw);
        RUNTIME_FIELDS.forEach(f::remove);
        return f;
    }

    Resource withEnable(boolean on) {
        Map<String, Object> r = new LinkedHashMap<>(raw);
        r.put("enable", on);
        return new Resource(kind, type, name, r, opts, on, createdAt);
    }

    /** The stored configuration plus created_at, for the API (the runtime adds status). */
    Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>(raw);
        v.put("created_at", java.time.Instant.ofEpochMilli(createdAt).toString());
        return v;
    }

    private static String string(Map<String, Object> raw, String field) {
        Object v = raw.get(field);
        check(v instanceof String s && !s.isEmpty(), field, v == null ? "is required" : "must be a non-empty string");
        return (String) v;
    }

    static void check(boolean ok, String field, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("field '" + field + "' " + problem);
        }
    }

    static List<String> ids(List<Resource> rs) {
        return rs.stream().map(Resource::id).toList();
    }
}
