package io.aviary.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Test;

/**
 * API keys as an operator provisions them: EMQX's bootstrap file (api_key:api_secret:role, given
 * by the AVIARY_API_KEY__BOOTSTRAP_FILE variable), roles that limit what a key may do (403),
 * secrets kept only hashed, the key a first start creates and logs once, and the 429 that
 * stops password guessing from one address.
 */
public class ApiKeyRolesIT {

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    public void bootstrapKeysCarryRolesThatLimitWhatTheyMayDo() throws Exception {
        dist = new Distribution();
        Path file = dist.home.resolve("etc/bootstrap_api_keys");
        Files.writeString(file, String.join("\n", "# provisioned by ops",
                "ops-admin:admin-secret-1:administrator", "ops-viewer:viewer-secret-1:viewer",
                "ops-pub:pub-secret-1:publisher", "ops-plain:plain-secret-1", "broken line without colon",
                "ops-bad:secret:superuser", ""));
        dist.env("AVIARY_API_KEY__BOOTSTRAP_FILE", file.toString()).start().awaitApi();
        AdminHttp base = new AdminHttp(dist.adminPort, null);
        AdminHttp admin = base.as(AdminHttp.basic("ops-admin", "admin-secret-1"));
        AdminHttp viewer = base.as(AdminHttp.basic("ops-viewer", "viewer-secret-1"));
        AdminHttp publisher = base.as(AdminHttp.basic("ops-pub", "pub-secret-1"));
        AdminHttp plain = base.as(AdminHttp.basic("ops-plain", "plain-secret-1"));

        assertEquals(200, admin.get("/clients").status());
        assertEquals(202, admin.post("/publish", "{\"topic\":\"roles/a\"}").status());
        assertEquals("a key without a role is an administrator", 200, plain.get("/stats").status());

        assertEquals(200, viewer.get("/clients").status());
        assertEquals(200, viewer.get("/metrics").status());
        assertForbidden(viewer.post("/publish", "{\"topic\":\"roles/a\"}"), "viewer");
        assertForbidden(viewer.delete("/clients/anyone"), "viewer");
        assertForbidden(viewer.post("/clients/kickout/bulk", "[\"anyone\"]"), "viewer");

        assertEquals(202, publisher.post("/publish", "{\"topic\":\"roles/a\"}").status());
        assertEquals(202, publisher.post("/publish/bulk", "[{\"topic\":\"roles/a\"}]").status());
        assertForbidden(publisher.get("/clients"), "publisher");
        assertForbidden(publisher.delete("/mqtt/retainer/message/x"), "publisher");

        assertEquals("the broken lines load nothing", 401, base.as(AdminHttp.basic("ops-bad", "secret")).get("/stats").status());
        String log = dist.console();
        assertTrue(log, log.contains("line 6") && log.contains("line 7"));

        String stored = Files.readString(dist.home.resolve("data/admin/api_keys.json"));
        for (String secret : List.of("admin-secret-1", "viewer-secret-1", "pub-secret-1", "plain-secret-1")) {
            assertFalse("secrets are stored only hashed", stored.contains(secret));
        }
        AdminHttp.Reply keys = new AdminHttp(dist.adminPort, AdminHttp.ADMIN).get("/api_key");
        boolean viewerListed = false;
        for (JsonElement e : keys.json().getAsJsonArray()) {
            JsonObject k = e.getAsJsonObject();
            if (k.get("api_key").getAsString().equals("ops-viewer")) {
                viewerListed = true;
                assertEquals("viewer", k.get("role").getAsString());
                assertTrue("a bootstrap key is a platform key (no tenant)", k.get("tenant").isJsonNull());
                assertFalse(k.has("api_secret"));
            }
        }
        assertTrue(keys.body(), viewerListed);
        assertFalse("no first-start key when keys exist", dist.console().contains("first-start"));
    }

    @Test
    public void createdKeysTakeARoleAndABadRoleIsRefused() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        AdminHttp.Reply created = admin.post("/api_key", "{\"name\":\"reader\",\"role\":\"viewer\"}");
        assertEquals(created.body(), 200, created.status());
        JsonObject k = created.json().getAsJsonObject();
        assertEquals("viewer", k.get("role").getAsString());
        AdminHttp reader = admin.as(AdminHttp.basic(k.get("api_key").getAsString(), k.get("api_secret").getAsString()));
        assertEquals(200, reader.get("/subscriptions").status());
        assertForbidden(reader.post("/clients/x/subscribe", "{\"topic\":\"a\"}"), "viewer");

        AdminHttp.Reply bad = admin.post("/api_key", "{\"name\":\"boss\",\"role\":\"superuser\"}");
        assertEquals(400, bad.status());
        assertTrue(bad.body(), bad.message().contains("role"));
        assertEquals(200, admin.put("/api_key/reader", "{\"role\":\"publisher\"}").status());
        assertForbidden(reader.get("/subscriptions"), "publisher");
    }

    @Test
    public void theFirstStartCreatesOneKeyAndLogsItsSecretOnce() throws Exception {
        dist = new Distribution().start().awaitApi();
        Matcher m = Pattern.compile("api key 'first-start' \\(role administrator\\): api_key=(\\S+) api_secret=(\\S+)")
                .matcher(dist.console());
        assertTrue(dist.console(), m.find());
        AdminHttp first = new AdminHttp(dist.adminPort, AdminHttp.basic(m.group(1), m.group(2)));
        assertEquals(200, first.get("/clients").status());

        dist.stop(java.time.Duration.ofSeconds(10));
        dist.start().awaitApi();
        assertFalse("logged only at the first start", dist.console().contains("api_secret="));
        assertEquals("the key survives the restart", 200, first.get("/clients").status());
    }

    @Test
    public void repeatedFailedLoginsFromOneAddressAreAnsweredWith429() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp.Reply created = new AdminHttp(dist.adminPort, AdminHttp.ADMIN).post("/api_key", "{\"name\":\"k\"}");
        JsonObject k = created.json().getAsJsonObject();
        AdminHttp goodKey = new AdminHttp(dist.adminPort,
                AdminHttp.basic(k.get("api_key").getAsString(), k.get("api_secret").getAsString()));
        for (int i = 0; i < 12; i++) {
            assertEquals("a good key where keys may not go is no guess", 401, goodKey.get("/api_key").status());
            assertEquals("no credentials is no guess", 401, goodKey.as(null).get("/clients").status());
        }
        assertEquals(200, goodKey.get("/clients").status());
        AdminHttp wrong = new AdminHttp(dist.adminPort, AdminHttp.basic("admin", "guess"));
        for (int i = 0; i < 10; i++) {
            assertEquals(401, wrong.get("/clients").status());
        }
        AdminHttp.Reply blocked = wrong.get("/clients");
        assertEquals(blocked.body(), 429, blocked.status());
        assertEquals("TOO_MANY_REQUESTS", blocked.code());
        assertTrue(blocked.message(), blocked.message().contains("127.0.0.1"));
        assertEquals("the right password waits too", 429,
                new AdminHttp(dist.adminPort, AdminHttp.ADMIN).get("/clients").status());
        AdminHttp.Reply login = wrong.post("/login", "{\"username\":\"admin\",\"password\":\"public\"}");
        assertEquals(429, login.status());
        assertEquals("the health check stays open", 200, wrong.as(null).get("/status").status());
    }

    private static void assertForbidden(AdminHttp.Reply r, String role) {
        assertEquals(r.body(), 403, r.status());
        assertEquals("FORBIDDEN", r.code());
        assertTrue(r.body(), r.message().contains(role));
    }
}
