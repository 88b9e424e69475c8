package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the OpenAPI 3 document from the resource classes Jersey serves: paths and verbs from
 * the JAX-RS annotations, path and query parameters from the method signatures (plus those an
 * {@link ApiDoc} lists), bodies from JsonObject/JsonArray parameters, and the error answers
 * every endpoint can give. Generated at start from the same classes, so it cannot drift.
 */
final class OpenApiGenerator {

    private OpenApiGenerator() {
    }

    static JsonObject document(String version, Class<?>... resources) {
        JsonObject doc = new JsonObject();
        doc.addProperty("openapi", "3.0.3");
        JsonObject info = new JsonObject();
        info.addProperty("title", "Aviary management API");
        info.addProperty("version", version);
        info.addProperty("description", "EMQX v5 compatible REST API. Credentials: HTTP Basic with api_key:api_secret"
                + " (or the admin user), or Bearer with a token from POST /login. Errors: {code, message}.");
        doc.add("info", info);
        JsonArray servers = new JsonArray();
        JsonObject server = new JsonObject();
        server.addProperty("url", "/api/v5");
        servers.add(server);
        doc.add("servers", servers);
        JsonObject paths = new JsonObject();
        Arrays.stream(resources).flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
                .filter(m -> verb(m) != null)
                .sorted(Comparator.comparing(OpenApiGenerator::path).thenComparing(m -> verb(m)))
                .forEach(m -> {
                    String path = path(m);
                    if (!paths.has(path)) {
                        paths.add(path, new JsonObject());
                    }
                    paths.getAsJsonObject(path).add(verb(m).toLowerCase(Locale.ROOT), operation(m));
                });
        doc.add("paths", paths);
        doc.add("components", components());
        JsonArray security = new JsonArray();
        JsonObject basic = new JsonObject();
        basic.add("basicAuth", new JsonArray());
        security.add(basic);
        JsonObject bearer = new JsonObject();
        bearer.add("bearerAuth", new JsonArray());
        security.add(bearer);
        doc.add("security", security);
        return doc;
    }

    /** The served path in OpenAPI form: "/topics/{topic}" for @Path("{topic: .+}"). */
    static String path(Method m) {
        String base = m.getDeclaringClass().getAnnotation(Path.class).value();
        Path sub = m.getAnnotation(Path.class);
        String full = "/" + base + (sub == null ? "" : "/" + sub.value());
        full = full.replaceAll("\\{\\s*([^:}\\s]+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return full.length() > 1 && full.endsWith("/") ? full.substring(0, full.length() - 1) : full;
    }

    static String verb(Method m) {
        for (Class<? extends Annotation> v : Constants.VERBS) {
            if (m.isAnnotationPresent(v)) {
                return v.getSimpleName();
            }
        }
        return null;
    }

    private static JsonObject operation(Method m) {
        ApiDoc doc = m.getAnnotation(ApiDoc.class);
        JsonObject op = new JsonObject();
        op.addProperty("operationId", m.getDeclaringClass().getSimpleName().replace("Resource", "") + "_" + m.getName());
        op.addProperty("summary", doc == null ? verb(m) + " " + path(m) : doc.summary());
        JsonArray tags = new JsonArray();
        tags.add(path(m).split("/")[1]);
        op.add("tags", tags);
        JsonArray params = new JsonArray();
        Set<String> query = new LinkedHashSet<>();
        boolean body = false;
        for (Parameter p : m.getParameters()) {
            PathParam pp = p.getAnnotation(PathParam.class);
            QueryParam qp = p.getAnnotation(QueryParam.class);
            if (pp != null) {
                params.add(param(pp.value(), "path", true));
            } else if (qp != null) {
                query.add(qp.value());
            } else if (p.getType().getName().startsWith("com.google.gson.Json")) {
                body = true;
                op.add("requestBody", requestBody(p.getType().getSimpleName(), doc));
            }
        }
        jakarta.ws.rs.Consumes consumes = m.getAnnotation(jakarta.ws.rs.Consumes.class);
        if (consumes != null && Arrays.asList(consumes.value()).contains(jakarta.ws.rs.core.MediaType.MULTIPART_FORM_DATA)) {
            body = true;
            op.add("requestBody", fileUpload(doc));
        }
        if (doc != null) {
            query.addAll(Arrays.asList(doc.query()));
        }
        if (m.getDeclaringClass().isAnnotationPresent(TenantScoped.class)) {
            query.add("tenant"); // auth.TenantScope: a platform caller's choice of tenant
        }
        query.forEach(q -> params.add(param(q, "query", false)));
        if (params.size() > 0) {
            op.add("parameters", params);
        }
        op.add("responses", responses(doc, body || params.size() > 0, doc != null && doc.notFound(),
                doc != null && doc.open()));
        if (doc != null && doc.open()) {
            op.add("security", new JsonArray());
        }
        return op;
    }

    private static JsonObject param(String name, String in, boolean required) {
        JsonObject p = new JsonObject();
        p.addProperty("name", name);
        p.addProperty("in", in);
        p.addProperty("required", required);
        JsonObject schema = new JsonObject();
        schema.addProperty("type", Constants.INTEGERS.contains(name) ? "integer" : "string");
        p.add("schema", schema);
        return p;
    }

    /** A multipart/form-data body carrying one file (the plugin upload). */
    private static JsonObject fileUpload(ApiDoc doc) {
        JsonObject file = new JsonObject();
        file.addProperty("type", "string");
        file.addProperty("format", "binary");
        JsonObject properties = new JsonObject();
        properties.add("plugin", file);
        JsonObject schema = new JsonObject();
        schema.addProperty("type", "object");
        schema.add("properties", properties);
        if (doc != null && !doc.body().isEmpty()) {
            schema.addProperty("description", doc.body());
        }
        JsonObject media = new JsonObject();
        media.add("schema", schema);
        JsonObject content = new JsonObject();
        content.add(jakarta.ws.rs.core.MediaType.MULTIPART_FORM_DATA, media);
        JsonObject rb = new JsonObject();
        rb.addProperty("required", true);
        rb.add("content", content);
        return rb;
    }

    private static JsonObject requestBody(String jsonType, ApiDoc doc) {
        JsonObject schema = new JsonObject();
        schema.addProperty("type", "JsonArray".equals(jsonType) ? "array" : "object");
        if (doc != null && !doc.body().isEmpty()) {
            schema.addProperty("description", doc.body());
        }
        JsonObject media = new JsonObject();
        media.add("schema", schema);
        JsonObject content = new JsonObject();
        content.add("application/json", media);
        JsonObject rb = new JsonObject();
        rb.addProperty("required", true);
        rb.add("content", content);
        return rb;
    }

    private static JsonObject responses(ApiDoc doc, boolean input, boolean notFound, boolean open) {
        JsonObject r = new JsonObject();
        int status = doc == null ? 200 : doc.status();
        JsonObject ok = new JsonObject();
        ok.addProperty("description", status == 204 ? "done, no content" : "success");
        r.add(String.valueOf(status), ok);
        for (int extra : doc == null ? new int[0] : doc.also()) {
            r.add(String.valueOf(extra), error(Constants.MEANING.getOrDefault(extra, "see the message")));
        }
        if (input) {
            r.add("400", error(body(doc)
                    ? "BAD_REQUEST: a field or parameter is invalid, the JSON is malformed or the body exceeds 1 MiB; the message names which"
                    : "BAD_REQUEST: a field or parameter is invalid; the message names it"));
        }
        if (!open) {
            r.add("401", error("bad or missing credentials"));
            r.add("429", error(Constants.MEANING.get(429)));
            r.add("403", error("the API key's role does not allow this"));
        }
        if (notFound) {
            r.add("404", error("not found"));
        }
        r.add("503", error("SERVICE_UNAVAILABLE: the broker or plugin manager is not running"));
        return r;
    }

    private static boolean body(ApiDoc doc) {
        return doc != null && !doc.body().isEmpty();
    }

    private static JsonObject error(String description) {
        JsonObject ref = new JsonObject();
        ref.addProperty("$ref", "#/components/schemas/Error");
        JsonObject media = new JsonObject();
        media.add("schema", ref);
        JsonObject content = new JsonObject();
        content.add("application/json", media);
        JsonObject e = new JsonObject();
        e.addProperty("description", description);
        e.add("content", content);
        return e;
    }

    private static JsonObject components() {
        JsonObject props = new JsonObject();
        JsonObject string = new JsonObject();
        string.addProperty("type", "string");
        props.add("code", string);
        props.add("message", string);
        JsonObject error = new JsonObject();
        error.addProperty("type", "object");
        error.add("properties", props);
        JsonObject schemas = new JsonObject();
        schemas.add("Error", error);
        JsonObject basic = new JsonObject();
        basic.addProperty("type", "http");
        basic.addProperty("scheme", "basic");
        JsonObject bearer = new JsonObject();
        bearer.addProperty("type", "http");
        bearer.addProperty("scheme", "bearer");
        JsonObject sec = new JsonObject();
        sec.add("basicAuth", basic);
        sec.add("bearerAuth", bearer);
        JsonObject c = new JsonObject();
        c.add("schemas", schemas);
        c.add("securitySchemes", sec);
        return c;
    }

    /** Constants kept apart so the generator reads top-down. */
    private static final class Constants {
        static final java.util.List<Class<? extends Annotation>> VERBS = java.util.List.of(GET.class, POST.class,
                PUT.class, DELETE.class);
        static final Set<String> INTEGERS = Set.of("page", "limit", "qos", "proto_ver");
        static final java.util.Map<Integer, String> MEANING = java.util.Map.of(
                202, "no_matching_subscribers: {reason_code: 16, message} (bulk: when none reached a subscriber)",
                401, "BAD_USERNAME_OR_PWD: wrong user name or password",
                409, "ALREADY_EXISTS or LIMIT_EXCEEDED",
                413, "PAYLOAD_TOO_LARGE: the upload exceeds dashboard.plugin_upload_max_size",
                429, "TOO_MANY_REQUESTS: too many failed logins from this address");
    }
}
