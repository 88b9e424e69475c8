package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import org.junit.After;
import org.junit.Test;

/**
 * The shipped bridge-kafka plugin in the distribution, against the real Kafka broker of
 * scripts/services.sh.
 */
public class KafkaIT {
    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private static String pluginState(AdminHttp admin, String name) throws Exception {
        for (JsonElement e : admin.get("/plugins").json().getAsJsonArray()) {
            JsonObject p = e.getAsJsonObject();
            if (name.equals(p.get("name").getAsString())) {
                return p.get("state").getAsString();
            }
        }
        return "absent";
    }

    @Test
    public void thePluginBundleResolvesAndStartsWhenATenantEnablesIt() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        assertEquals(200, admin.post("/tenants", "{\"id\":\"iot\"}").status());

        AdminHttp.Reply enabled = admin.post("/tenants/iot/plugins", "{\"plugin\":\"bridge-kafka\",\"config\":{}}");

        assertEquals(enabled.body(), 201, enabled.status());
        await("bridge-kafka active").atMost(Duration.ofSeconds(20)).until(() -> pluginState(admin, "bridge-kafka").equals("active"));
    }
}
