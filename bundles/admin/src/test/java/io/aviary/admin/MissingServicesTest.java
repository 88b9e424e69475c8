package io.aviary.admin;

import static io.aviary.admin.ApiTestServer.ADMIN;
import static org.junit.Assert.assertEquals;

import io.aviary.admin.ApiTestServer.Reply;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The API starts without the plugin manager and broker, answers 503 for them, and picks them up when bound. */
public class MissingServicesTest {

    @Rule
    public final TemporaryFolder data = new TemporaryFolder();

    @Test
    public void absentServicesAre503UntilBound() throws Exception {
        try (ApiTestServer api = new ApiTestServer(data.getRoot().toPath(), false)) {
            for (String path : new String[] {"/api/v5/plugins", "/api/v5/plugin_instances", "/api/v5/clients"}) {
                Reply reply = api.get(path, ADMIN);
                assertEquals(path, 503, reply.status());
                assertEquals(path, "SERVICE_UNAVAILABLE", reply.code());
            }
            assertEquals(503, api.post("/api/v5/publish", "{\"topic\":\"a\"}", ADMIN).status());

            api.server.setPluginManager(api.plugins);
            assertEquals(200, api.get("/api/v5/plugins", ADMIN).status());
            api.server.unsetPluginManager(api.plugins);
            assertEquals(503, api.get("/api/v5/plugins", ADMIN).status());
        }
    }
}
