package io.aviary.admin;

import static io.aviary.admin.ApiTestServer.ADMIN;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import io.aviary.admin.rest.ApiKeyResource;
import io.aviary.admin.rest.ClientResource;
import io.aviary.admin.rest.LoginResource;
import io.aviary.admin.rest.OpenApiResource;
import io.aviary.admin.rest.PluginInstanceResource;
import io.aviary.admin.rest.PluginResource;
import io.aviary.admin.rest.PrometheusResource;
import io.aviary.admin.rest.PublishResource;
import io.aviary.admin.rest.DelayedResource;
import io.aviary.admin.rest.RetainerResource;
import io.aviary.admin.rest.StatsResource;
import io.aviary.admin.rest.SubscriptionResource;
import io.aviary.admin.rest.TopicResource;
import io.aviary.admin.rest.StatusResource;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.Locale;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The generated OpenAPI document is served and lists every resource method Jersey serves. */
public class OpenApiDocumentTest {

    private static final Class<?>[] RESOURCES = {StatusResource.class, LoginResource.class, ApiKeyResource.class,
        PluginResource.class, PluginInstanceResource.class, ClientResource.class, PublishResource.class,
        SubscriptionResource.class, TopicResource.class, RetainerResource.class, DelayedResource.class,
        StatsResource.class, PrometheusResource.class, OpenApiResource.class};

    @Rule
    public final TemporaryFolder data = new TemporaryFolder();

    @Test
    public void documentIsServedAndListsEveryResourceMethod() throws Exception {
        try (ApiTestServer api = new ApiTestServer(data.getRoot().toPath())) {
            ApiTestServer.Reply reply = api.get("/api/v5/api-docs/openapi.json", ADMIN);
            assertEquals(200, reply.status());
            assertEquals("application/json", reply.header("Content-Type"));
            JsonObject paths = reply.json().getAsJsonObject("paths");
            for (Class<?> resource : RESOURCES) {
                for (Method method : resource.getDeclaredMethods()) {
                    String verb = verb(method);
                    if (verb == null) {
                        continue;
                    }
                    String path = path(resource, method);
                    assertTrue("OpenAPI lacks " + path, paths.has(path));
                    assertTrue("OpenAPI lacks " + verb + " " + path,
                            paths.getAsJsonObject(path).has(verb.toLowerCase(Locale.ROOT)));
                }
            }
        }
    }

    private static String path(Class<?> resource, Method method) {
        String base = resource.getAnnotation(Path.class).value();
        Path sub = method.getAnnotation(Path.class);
        String full = "/" + base + (sub == null ? "" : "/" + sub.value());
        return full.replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
    }

    private static String verb(Method method) {
        if (method.isAnnotationPresent(GET.class)) {
            return "GET";
        }
        if (method.isAnnotationPresent(POST.class)) {
            return "POST";
        }
        if (method.isAnnotationPresent(PUT.class)) {
            return "PUT";
        }
        return method.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
    }
}
