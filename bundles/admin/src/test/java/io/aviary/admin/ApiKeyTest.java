package io.aviary.admin;

import static io.aviary.admin.ApiTestServer.ADMIN;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.admin.ApiTestServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** API keys as EMQX has them: secret shown once, usable as Basic credentials, persisted. */
public class ApiKeyTest {

    @ClassRule
    public static final TemporaryFolder SHARED = new TemporaryFolder();
    @Rule
    public final TemporaryFolder data = new TemporaryFolder();
    private static ApiTestServer api;

    @BeforeClass
    public static void start() throws Exception {
        api = new ApiTestServer(SHARED.getRoot().toPath());
    }

    @AfterClass
    public static void stop() {
        api.close();
    }

    private static String create(ApiTestServer api, String name) throws Exception {
        Reply created = api.post("/api/v5/api_key", "{\"name\":\"" + name + "\",\"desc\":\"ci\"}", ADMIN);
        assertEquals(created.body(), 200, created.status());
        JsonObject key = created.json();
        return ApiTestServer.basic(key.get("api_key").getAsString(), key.get("api_secret").getAsString());
    }

    @Test
    public void createdKeyAuthenticatesOtherEndpoints() throws Exception {
        String key = create(api, "ci-key");
        assertEquals(200, api.get("/api/v5/plugins", key).status());
    }

    @Test
    public void listingNeverShowsTheSecret() throws Exception {
        create(api, "listed");
        JsonArray keys = api.get("/api/v5/api_key", ADMIN).jsonElement().getAsJsonArray();
        JsonObject key = null;
        for (int i = 0; i < keys.size(); i++) {
            assertFalse(keys.get(i).getAsJsonObject().has("api_secret"));
            if ("listed".equals(keys.get(i).getAsJsonObject().get("name").getAsString())) {
                key = keys.get(i).getAsJsonObject();
            }
        }
        assertNotNull(key);
        assertEquals("infinity", key.get("expired_at").getAsString());
        assertFalse(key.has("api_secret"));
        assertFalse(api.get("/api/v5/api_key/listed", ADMIN).json().has("api_secret"));
    }

    @Test
    public void anApiKeyMayNotManageApiKeys() throws Exception {
        String key = create(api, "limited");
        Reply reply = api.get("/api/v5/api_key", key);
        assertEquals(401, reply.status());
        assertEquals("API_KEY_NOT_ALLOW", reply.code());
    }

    @Test
    public void wrongSecretIsBadApiKeyOrSecret() throws Exception {
        Reply created = api.post("/api/v5/api_key", "{\"name\":\"k\"}", ADMIN);
        String wrong = ApiTestServer.basic(created.json().get("api_key").getAsString(), "not-the-secret");
        Reply reply = api.get("/api/v5/plugins", wrong);
        assertEquals(401, reply.status());
        assertEquals("BAD_API_KEY_OR_SECRET", reply.code());
    }

    @Test
    public void deletedOrDisabledKeyStopsWorkingAtOnce() throws Exception {
        String disabled = create(api, "disabled");
        assertEquals(200, api.get("/api/v5/plugins", disabled).status());
        assertEquals(200, api.put("/api/v5/api_key/disabled", "{\"enable\":false}", ADMIN).status());
        assertEquals("BAD_API_KEY_OR_SECRET", api.get("/api/v5/plugins", disabled).code());

        String deleted = create(api, "deleted");
        assertEquals(200, api.get("/api/v5/plugins", deleted).status());
        assertEquals(204, api.delete("/api/v5/api_key/deleted", ADMIN).status());
        assertEquals(401, api.get("/api/v5/plugins", deleted).status());
        assertEquals(404, api.delete("/api/v5/api_key/deleted", ADMIN).status());
    }

    @Test
    public void keysSurviveARestartAndOnlyTheHashIsStored() throws Exception {
        Path dataDir = data.getRoot().toPath();
        String key;
        String secret;
        try (ApiTestServer first = new ApiTestServer(dataDir)) {
            Reply created = first.post("/api/v5/api_key", "{\"name\":\"durable\"}", ADMIN);
            key = created.json().get("api_key").getAsString();
            secret = created.json().get("api_secret").getAsString();
        }
        String file = Files.readString(dataDir.resolve("admin").resolve("api_keys.json"));
        assertTrue(file.contains("durable"));
        assertFalse(file.contains(secret));
        try (ApiTestServer second = new ApiTestServer(dataDir)) {
            assertEquals(200, second.get("/api/v5/plugins", ApiTestServer.basic(key, secret)).status());
        }
    }

    @Test
    public void duplicateNameIs409AndBadNameIs400() throws Exception {
        create(api, "twice");
        assertEquals(409, api.post("/api/v5/api_key", "{\"name\":\"twice\"}", ADMIN).status());
        Reply bad = api.post("/api/v5/api_key", "{\"name\":\"no spaces\"}", ADMIN);
        assertEquals(400, bad.status());
        assertTrue(bad.message(), bad.message().contains("'name'"));
    }

    @Test
    public void expiryInThePastIsRefusedNamingTheField() throws Exception {
        Reply reply = api.post("/api/v5/api_key",
                "{\"name\":\"old\",\"expired_at\":\"2000-01-01T00:00:00Z\"}", ADMIN);
        assertEquals(400, reply.status());
        assertTrue(reply.message(), reply.message().contains("'expired_at'"));
    }
}
