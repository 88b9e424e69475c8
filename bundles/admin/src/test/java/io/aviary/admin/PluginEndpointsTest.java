package io.aviary.admin;

import static io.aviary.admin.ApiTestServer.ADMIN;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.ApiTestServer.Reply;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The plugin catalogue and the create / reconfigure / delete flow of plugin instances. */
public class PluginEndpointsTest {

    @ClassRule
    public static final TemporaryFolder DATA = new TemporaryFolder();
    private static ApiTestServer api;

    @BeforeClass
    public static void start() throws Exception {
        api = new ApiTestServer(DATA.getRoot().toPath());
    }

    @AfterClass
    public static void stop() {
        api.close();
    }

    @Test
    public void catalogueListsPluginsWithLowerCaseStateAndKind() throws Exception {
        JsonArray plugins = api.get("/api/v5/plugins", ADMIN).jsonElement().getAsJsonArray();
        assertEquals(2, plugins.size());
        JsonObject http = plugins.get(0).getAsJsonObject();
        assertEquals("http-auth", http.get("id").getAsString());
        assertEquals("auth", http.get("kind").getAsString());
        assertEquals("1.2.0", http.get("version").getAsString());
        assertTrue(http.get("state").getAsString().matches("installed|active"));
        JsonObject broken = plugins.get(1).getAsJsonObject();
        assertEquals("failed", broken.get("state").getAsString());
        assertEquals("not a bundle: no manifest", broken.get("error").getAsString());
        assertTrue(broken.get("id").isJsonNull());
    }

    @Test
    public void oneAndUnknownPlugin() throws Exception {
        assertEquals("http-auth", api.get("/api/v5/plugins/http-auth", ADMIN).json().get("name").getAsString());
        Reply missing = api.get("/api/v5/plugins/nope", ADMIN);
        assertEquals(404, missing.status());
        assertEquals("NOT_FOUND", missing.code());
    }

    @Test
    public void schemaIsServedAsJson() throws Exception {
        JsonObject schema = api.get("/api/v5/plugins/http-auth/schema", ADMIN).json();
        assertEquals("url", schema.getAsJsonArray("required").get(0).getAsString());
    }

    @Test
    public void instanceCanBeCreatedListedReconfiguredAndDeleted() throws Exception {
        Reply created = api.post("/api/v5/plugin_instances",
                "{\"plugin\":\"http-auth\",\"tenant\":\"acme\",\"config\":{\"url\":\"http://a\",\"timeout\":5}}", ADMIN);
        assertEquals(created.body(), 201, created.status());
        JsonObject instance = created.json();
        String id = instance.get("id").getAsString();
        assertEquals("acme", instance.get("tenant").getAsString());
        assertEquals(5, instance.getAsJsonObject("config").get("timeout").getAsInt());
        assertTrue(created.header("Location").endsWith("/api/v5/plugin_instances/" + id));

        JsonArray acme = api.get("/api/v5/plugin_instances?tenant=acme", ADMIN).jsonElement().getAsJsonArray();
        assertEquals(1, acme.size());
        assertEquals(0, api.get("/api/v5/plugin_instances?tenant=other", ADMIN).jsonElement().getAsJsonArray().size());

        Reply updated = api.put("/api/v5/plugin_instances/" + id, "{\"config\":{\"url\":\"http://b\"}}", ADMIN);
        assertEquals(200, updated.status());
        assertEquals("http://b", updated.json().getAsJsonObject("config").get("url").getAsString());

        assertEquals(204, api.delete("/api/v5/plugin_instances/" + id, ADMIN).status());
        assertEquals(404, api.delete("/api/v5/plugin_instances/" + id, ADMIN).status());
    }

    @Test
    public void tenantDefaultsToDefault() throws Exception {
        Reply created = api.post("/api/v5/plugin_instances", "{\"plugin\":\"http-auth\",\"config\":{\"url\":\"u\"}}",
                ADMIN);
        assertEquals("default", created.json().get("tenant").getAsString());
        api.delete("/api/v5/plugin_instances/" + created.json().get("id").getAsString(), ADMIN);
    }

    @Test
    public void configThePluginRejectsIs400NamingTheField() throws Exception {
        Reply reply = api.post("/api/v5/plugin_instances", "{\"plugin\":\"http-auth\",\"config\":{\"url\":1}}", ADMIN);
        assertEquals(400, reply.status());
        assertEquals("BAD_REQUEST", reply.code());
        assertTrue(reply.message(), reply.message().contains("config.url"));
    }

    @Test
    public void instanceOfUnknownPluginIs404() throws Exception {
        Reply reply = api.post("/api/v5/plugin_instances", "{\"plugin\":\"nope\",\"config\":{}}", ADMIN);
        assertEquals(404, reply.status());
        assertEquals("NOT_FOUND", reply.code());
    }

    @Test
    public void badTenantIs400NamingTheField() throws Exception {
        Reply reply = api.post("/api/v5/plugin_instances",
                "{\"plugin\":\"http-auth\",\"tenant\":\"a/b\",\"config\":{\"url\":\"u\"}}", ADMIN);
        assertEquals(400, reply.status());
        assertTrue(reply.message(), reply.message().contains("'tenant'"));
    }

    @Test
    public void nullInsideConfigIs400NamingThePath() throws Exception {
        Reply reply = api.post("/api/v5/plugin_instances",
                "{\"plugin\":\"http-auth\",\"config\":{\"url\":\"u\",\"tls\":{\"ca\":null}}}", ADMIN);
        assertEquals(400, reply.status());
        assertTrue(reply.message(), reply.message().contains("config.tls.ca"));
    }
}
