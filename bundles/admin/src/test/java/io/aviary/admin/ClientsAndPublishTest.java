package io.aviary.admin;

import static io.aviary.admin.ApiTestServer.ADMIN;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import io.aviary.admin.ApiTestServer.Reply;
import io.aviary.api.message.Message;
import java.nio.charset.StandardCharsets;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** /clients paging and fields, kick, and /publish with its validation and EMQX's 200/202 answers. */
public class ClientsAndPublishTest {

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

    @Before
    public void threeClients() {
        api.broker.addClient("c1", 1_700_000_000_000L);
        api.broker.addClient("c2", 1_700_000_000_000L);
        api.broker.addClient("c3", 1_700_000_000_000L);
        api.broker.published.clear();
    }

    @Test
    public void clientsArePagedWithMeta() throws Exception {
        JsonObject page = api.get("/api/v5/clients?page=2&limit=2", ADMIN).json();
        assertEquals(1, page.getAsJsonArray("data").size());
        JsonObject meta = page.getAsJsonObject("meta");
        assertEquals(3, meta.get("count").getAsInt());
        assertEquals(2, meta.get("page").getAsInt());
        assertEquals(2, meta.get("limit").getAsInt());
        assertFalse(meta.get("hasnext").getAsBoolean());
        assertTrue(api.get("/api/v5/clients?limit=2", ADMIN).json().getAsJsonObject("meta").get("hasnext")
                .getAsBoolean());
    }

    @Test
    public void clientHasEmqxFieldsWithRfc3339Times() throws Exception {
        JsonObject c = api.get("/api/v5/clients/c1", ADMIN).json();
        assertEquals("c1", c.get("clientid").getAsString());
        assertEquals("user-c1", c.get("username").getAsString());
        assertEquals("127.0.0.1", c.get("ip_address").getAsString());
        assertEquals(50_000, c.get("port").getAsInt());
        assertEquals(5, c.get("proto_ver").getAsInt());
        assertEquals("MQTT", c.get("proto_name").getAsString());
        assertEquals("2023-11-14T22:13:20.000Z", c.get("connected_at").getAsString());
        assertEquals(2, c.get("subscriptions_cnt").getAsInt());
        assertEquals(32, c.get("inflight_max").getAsInt());
        assertEquals(20, c.get("send_msg").getAsInt());
    }

    @Test
    public void kickIs204ThenUnknownClientIs404() throws Exception {
        assertEquals(204, api.delete("/api/v5/clients/c2", ADMIN).status());
        Reply again = api.delete("/api/v5/clients/c2", ADMIN);
        assertEquals(404, again.status());
        assertEquals("CLIENTID_NOT_FOUND", again.code());
        assertEquals(404, api.get("/api/v5/clients/c2", ADMIN).status());
    }

    @Test
    public void publishWithSubscribersIs200WithId() throws Exception {
        api.broker.subscribersByTopic.put("t/1", 2);
        Reply reply = api.post("/api/v5/publish", "{\"topic\":\"t/1\",\"payload\":\"hi\",\"qos\":1,\"retain\":true}",
                ADMIN);
        assertEquals(200, reply.status());
        assertTrue(reply.json().get("id").getAsString().startsWith("msg-"));
        Message sent = api.broker.published.get(0);
        assertEquals("default", sent.tenant());
        assertEquals(1, sent.qos());
        assertTrue(sent.retain());
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), sent.payloadBytes());
    }

    @Test
    public void publishWithoutSubscribersIs202NoMatchingSubscribers() throws Exception {
        Reply reply = api.post("/api/v5/publish", "{\"topic\":\"nobody/listens\"}", ADMIN);
        assertEquals(202, reply.status());
        assertEquals(16, reply.json().get("reason_code").getAsInt());
        assertEquals("no_matching_subscribers", reply.json().get("message").getAsString());
    }

    @Test
    public void base64PayloadIsDecoded() throws Exception {
        api.post("/api/v5/publish", "{\"topic\":\"b\",\"payload\":\"AAEC\",\"payload_encoding\":\"base64\"}", ADMIN);
        assertArrayEquals(new byte[] {0, 1, 2}, api.broker.published.get(0).payloadBytes());
    }

    @Test
    public void publishValidationNamesTheField() throws Exception {
        assertField(api.post("/api/v5/publish", "{\"topic\":\"a/+\"}", ADMIN), "'topic'");
        assertField(api.post("/api/v5/publish", "{\"topic\":\"a/#\"}", ADMIN), "'topic'");
        assertField(api.post("/api/v5/publish", "{\"topic\":\"\"}", ADMIN), "'topic'");
        assertField(api.post("/api/v5/publish", "{\"payload\":\"x\"}", ADMIN), "'topic'");
        assertField(api.post("/api/v5/publish", "{\"topic\":\"a\",\"qos\":3}", ADMIN), "'qos'");
        assertField(api.post("/api/v5/publish", "{\"topic\":\"a\",\"qos\":1.5}", ADMIN), "'qos'");
        assertField(api.post("/api/v5/publish", "{\"topic\":\"a\",\"qos\":\"1\"}", ADMIN), "'qos'");
        assertField(api.post("/api/v5/publish", "{\"topic\":\"a\",\"payload\":\"%%\",\"payload_encoding\":\"base64\"}",
                ADMIN), "'payload'");
        assertField(api.post("/api/v5/publish", "{\"topic\":\"a\",\"payload_encoding\":\"hex\"}", ADMIN),
                "'payload_encoding'");
        assertTrue(api.broker.published.isEmpty());
    }

    private static void assertField(Reply reply, String field) {
        assertEquals(reply.body(), 400, reply.status());
        assertEquals("BAD_REQUEST", reply.code());
        assertTrue(reply.message(), reply.message().contains(field));
    }
}
