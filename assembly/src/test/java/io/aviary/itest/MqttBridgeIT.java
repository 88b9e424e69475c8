package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The MQTT bridge plugin (plugins-bridge/bridge-mqtt) in the assembled distribution, against the
 * real Mosquitto that scripts/services.sh runs (its port in target/services/mosquitto/port).
 */
public class MqttBridgeIT {
    private static Distribution dist;
    private static AdminHttp admin;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start().awaitApi();
        admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
    }

    @AfterClass
    public static void stop() throws Exception {
        dist.close();
    }

    private static JsonObject plugin(String name) throws Exception {
        for (JsonElement e : admin.get("/plugins").json().getAsJsonArray()) {
            JsonObject p = e.getAsJsonObject();
            if (name.equals(p.get("name").getAsString())) {
                return p;
            }
        }
        return null;
    }

    @Test
    public void bridgePluginIsShippedAndStartsWhenATenantEnablesIt() throws Exception {
        JsonObject p = plugin("bridge-mqtt");
        assertEquals("bridge", p.get("kind").getAsString());
        assertEquals("installed", p.get("state").getAsString());
        AdminHttp.Reply enabled = admin.post("/tenants/default/plugins", "{\"plugin\":\"bridge-mqtt\",\"config\":{}}");
        assertEquals(enabled.body(), 201, enabled.status());
        await("bridge-mqtt active").atMost(Duration.ofSeconds(20))
                .until(() -> plugin("bridge-mqtt").get("state").getAsString(), s -> !s.equals("installed"));
        JsonObject now = plugin("bridge-mqtt");
        assertEquals(now.toString(), "active", now.get("state").getAsString());
        assertFalse("nothing went wrong starting it: " + dist.console(), dist.console().contains("io.aviary.bridge.mqtt")
                && dist.console().contains("Exception"));
    }
}
