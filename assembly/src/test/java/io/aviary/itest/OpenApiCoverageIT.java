package io.aviary.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The OpenAPI document the distribution serves matches what it serves: every operation in the
 * document answers (no "no such resource" 404, no 405), and every JAX-RS resource method in the
 * admin bundle's jar (read here by reflection, independently of the bundle's generator) is in
 * the document, with its parameters and error answers described.
 */
public class OpenApiCoverageIT {

    private static final List<String> VERBS = List.of("GET", "POST", "PUT", "DELETE");
    private static Distribution dist;
    private static AdminHttp api;
    private static JsonObject doc;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start().awaitApi();
        api = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        AdminHttp.Reply r = api.get("/openapi.json");
        assertEquals(r.body(), 200, r.status());
        doc = r.json().getAsJsonObject();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    public void theDocumentIsOpenApi3AtBothPaths() throws Exception {
        assertTrue(doc.get("openapi").getAsString().startsWith("3."));
        assertEquals("/api/v5", doc.getAsJsonArray("servers").get(0).getAsJsonObject().get("url").getAsString());
        assertEquals(doc, api.get("/api-docs/openapi.json").json());
    }

    @Test
    public void everyOperationInTheDocumentIsServed() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonElement> path : doc.getAsJsonObject("paths").entrySet()) {
            for (Map.Entry<String, JsonElement> op : path.getValue().getAsJsonObject().entrySet()) {
                String verb = op.getKey().toUpperCase();
                String url = path.getKey().replaceAll("\\{[^}]+}", "probe-x");
                String body = null;
                JsonObject operation = op.getValue().getAsJsonObject();
                if (operation.has("requestBody")) {
                    JsonObject content = operation.getAsJsonObject("requestBody").getAsJsonObject("content");
                    // a multipart upload (POST /plugins/install) is probed with a JSON body: 415 still proves it routed
                    JsonObject media = content.has("application/json") ? content.getAsJsonObject("application/json")
                            : content.getAsJsonObject("multipart/form-data");
                    String type = media.getAsJsonObject("schema").get("type").getAsString();
                    body = "array".equals(type) ? "[]" : "{}";
                }
                AdminHttp.Reply r = api.send(verb, url, body);
                boolean unrouted = r.status() == 405
                        || r.status() == 404 && r.body().contains("\"no such resource\"");
                if (unrouted) {
                    missing.add(verb + " " + path.getKey() + " -> " + r.status());
                }
                assertTrue(verb + " " + url + " documents its answers", operation.getAsJsonObject("responses").size() > 0);
            }
        }
        assertTrue("documented but not served: " + missing, missing.isEmpty());
    }

    @Test
    public void everyOperationNeedsCredentialsAndARoleThatAllowsIt() throws Exception {
        AdminHttp anonymous = api.as(null);
        AdminHttp viewer = api.as(key("cov-viewer", "viewer"));
        AdminHttp publisher = api.as(key("cov-publisher", "publisher"));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, JsonElement> path : doc.getAsJsonObject("paths").entrySet()) {
            for (Map.Entry<String, JsonElement> op : path.getValue().getAsJsonObject().entrySet()) {
                String verb = op.getKey().toUpperCase();
                String url = path.getKey().replaceAll("\\{[^}]+}", "probe-x");
                boolean open = op.getValue().getAsJsonObject().has("security");
                String body = verb.equals("POST") || verb.equals("PUT") ? "{}" : null;
                int status = anonymous.send(verb, url, body).status();
                if (!open && status != 401) {
                    wrong.add("anonymous " + verb + " " + url + " -> " + status);
                }
                // API keys never manage API keys or log out (401 API_KEY_NOT_ALLOW), whatever the role.
                boolean keysOnly = url.startsWith("/api_key") || url.equals("/logout");
                if (!open && !verb.equals("GET")) {
                    int s = viewer.send(verb, url, body).status();
                    if (s != 403 && !(keysOnly && s == 401)) {
                        wrong.add("viewer " + verb + " " + url + " -> " + s);
                    }
                }
                if (!open && !url.startsWith("/publish")) {
                    int s = publisher.send(verb, url, body).status();
                    if (s != 403 && !(keysOnly && s == 401)) {
                        wrong.add("publisher " + verb + " " + url + " -> " + s);
                    }
                }
            }
        }
        assertTrue("operations answering the wrong caller: " + wrong, wrong.isEmpty());
    }

    private static String key(String name, String role) throws Exception {
        AdminHttp.Reply r = api.post("/api_key", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertEquals(r.body(), 200, r.status());
        JsonObject k = r.json().getAsJsonObject();
        return AdminHttp.basic(k.get("api_key").getAsString(), k.get("api_secret").getAsString());
    }

    @Test
    public void everyServedResourceMethodIsDocumented() throws Exception {
        TreeSet<String> served = servedOperations();
        TreeSet<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonElement> path : doc.getAsJsonObject("paths").entrySet()) {
            for (String verb : path.getValue().getAsJsonObject().keySet()) {
                documented.add(verb.toUpperCase() + " " + path.getKey());
            }
        }
        assertTrue("the admin jar has resources", served.size() > 30);
        TreeSet<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        assertTrue("served but not documented: " + undocumented, undocumented.isEmpty());
        TreeSet<String> extra = new TreeSet<>(documented);
        extra.removeAll(served);
        assertTrue("documented but no resource method: " + extra, extra.isEmpty());
    }

    @Test
    public void parametersAndErrorsAreDescribed() {
        JsonObject clients = doc.getAsJsonObject("paths").getAsJsonObject("/clients").getAsJsonObject("get");
        List<String> names = new ArrayList<>();
        clients.getAsJsonArray("parameters").forEach(p -> names.add(p.getAsJsonObject().get("name").getAsString()));
        assertTrue(names.toString(), names.containsAll(List.of("page", "limit", "like_clientid", "conn_state",
                "gte_connected_at", "lte_created_at", "proto_ver", "clean_start", "ip_address", "username")));
        JsonObject kick = doc.getAsJsonObject("paths").getAsJsonObject("/clients/{clientid}").getAsJsonObject("delete");
        for (String status : List.of("204", "401", "403", "404")) {
            assertTrue("kick documents " + status, kick.getAsJsonObject("responses").has(status));
        }
        JsonObject publish = doc.getAsJsonObject("paths").getAsJsonObject("/publish").getAsJsonObject("post");
        for (String status : List.of("200", "202", "400", "401", "403")) {
            assertTrue("publish documents " + status, publish.getAsJsonObject("responses").has(status));
        }
        JsonObject status = doc.getAsJsonObject("paths").getAsJsonObject("/status").getAsJsonObject("get");
        assertEquals("status needs no credentials", 0, status.getAsJsonArray("security").size());
        assertFalse(status.getAsJsonObject("responses").has("401"));
    }

    /** GET /clients/{clientid} and so on, from the annotations of the classes in the admin jar. */
    private static TreeSet<String> servedOperations() throws Exception {
        Class<?> anchor = Class.forName("io.aviary.admin.rest.ApiApplication");
        Path jar = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        @SuppressWarnings("unchecked")
        Class<? extends Annotation> pathType = (Class<? extends Annotation>) Class.forName("jakarta.ws.rs.Path");
        Method value = pathType.getMethod("value");
        TreeSet<String> out = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!name.startsWith("io/aviary/admin/rest/") || !name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                Class<?> c = Class.forName(name.replace('/', '.').replace(".class", ""));
                Annotation base = c.getAnnotation(pathType);
                if (base == null) {
                    continue;
                }
                for (Method m : c.getDeclaredMethods()) {
                    for (String verb : VERBS) {
                        @SuppressWarnings("unchecked")
                        Class<? extends Annotation> v = (Class<? extends Annotation>) Class.forName("jakarta.ws.rs." + verb);
                        if (m.isAnnotationPresent(v)) {
                            Annotation sub = m.getAnnotation(pathType);
                            String p = "/" + value.invoke(base) + (sub == null ? "" : "/" + value.invoke(sub));
                            p = p.replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
                            out.add(verb + " " + (p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p));
                        }
                    }
                }
            }
        }
        return out;
    }
}
