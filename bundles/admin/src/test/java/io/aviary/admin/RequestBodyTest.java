package io.aviary.admin;

import static io.aviary.admin.ApiTestServer.ADMIN;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.admin.ApiTestServer.Reply;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Hostile or careless request bodies get a 400 JSON error that says what is wrong and where. */
public class RequestBodyTest {

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

    private static void assertBadRequest(Reply reply, String mentioned) {
        assertEquals(reply.body(), 400, reply.status());
        assertEquals("BAD_REQUEST", reply.code());
        assertTrue(reply.message(), reply.message().contains(mentioned));
    }

    @Test
    public void malformedJsonIs400SayingWhereItBroke() throws Exception {
        Reply reply = api.post("/api/v5/publish", "{\"topic\": \"a/b\", ", ADMIN);
        assertBadRequest(reply, "malformed JSON");
        assertTrue(reply.message(), reply.message().contains("line 1"));
    }

    @Test
    public void lenientJsonIsRefused() throws Exception {
        assertBadRequest(api.post("/api/v5/publish", "{topic: 'a/b'}", ADMIN), "malformed JSON");
    }

    @Test
    public void emptyBodyIs400() throws Exception {
        assertBadRequest(api.post("/api/v5/publish", "", ADMIN), "empty");
    }

    @Test
    public void bodyThatIsNotAnObjectIs400() throws Exception {
        assertBadRequest(api.post("/api/v5/publish", "[1,2]", ADMIN), "JSON object");
    }

    @Test
    public void trailingDataAfterTheObjectIs400() throws Exception {
        assertBadRequest(api.post("/api/v5/publish", "{\"topic\":\"a\"} {}", ADMIN), "after the JSON value");
    }

    @Test
    public void fieldOfTheWrongTypeIs400NamingTheField() throws Exception {
        assertBadRequest(api.post("/api/v5/publish", "{\"topic\": 42}", ADMIN), "'topic'");
        assertBadRequest(api.post("/api/v5/publish", "{\"topic\": \"a\", \"retain\": \"yes\"}", ADMIN), "'retain'");
        assertBadRequest(api.post("/api/v5/plugin_instances", "{\"plugin\": \"http-auth\", \"config\": []}", ADMIN),
                "'config'");
    }

    @Test
    public void missingRequiredFieldIs400NamingTheField() throws Exception {
        assertBadRequest(api.post("/api/v5/login", "{\"username\": \"admin\"}", null), "'password'");
    }

    @Test
    public void oversizedBodyIs400NamingTheLimit() throws Exception {
        String payload = "x".repeat(1024 * 1024 + 10);
        Reply reply = api.post("/api/v5/publish", "{\"topic\":\"a\",\"payload\":\"" + payload + "\"}", ADMIN);
        assertBadRequest(reply, "request body: larger than the 1048576-byte limit");
    }

    @Test
    public void badQueryParameterIs400NamingIt() throws Exception {
        assertBadRequest(api.get("/api/v5/clients?limit=abc", ADMIN), "'limit'");
        assertBadRequest(api.get("/api/v5/clients?page=0", ADMIN), "'page'");
    }
}
