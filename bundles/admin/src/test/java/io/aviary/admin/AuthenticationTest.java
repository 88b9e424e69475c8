package io.aviary.admin;

import static io.aviary.admin.ApiTestServer.ADMIN;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.aviary.admin.ApiTestServer.Reply;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Secure by default: what answers without credentials, and the 401 shapes of each failure. */
public class AuthenticationTest {

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
    public void statusAnswersPlainTextWithoutCredentials() throws Exception {
        Reply reply = api.get("/api/v5/status", null);
        assertEquals(200, reply.status());
        assertTrue(reply.header("Content-Type").startsWith("text/plain"));
        assertEquals("Node aviary@127.0.0.1 is started\naviary is running", reply.body());
    }

    @Test
    public void everyOtherEndpointNeedsCredentials() throws Exception {
        for (String path : new String[] {"/api/v5/plugins", "/api/v5/clients", "/api/v5/api_key",
                "/api/v5/api-docs/openapi.json", "/api/v5/no-such-thing"}) {
            Reply reply = api.get(path, null);
            assertEquals(path, 401, reply.status());
            assertEquals(path, "AUTHORIZATION_HEADER_ERROR", reply.code());
            assertNotNull(path, reply.header("WWW-Authenticate"));
        }
    }

    @Test
    public void wrongAdminPasswordIsBadUsernameOrPassword() throws Exception {
        Reply reply = api.get("/api/v5/plugins", ApiTestServer.basic("admin", "wrong"));
        assertEquals(401, reply.status());
        assertEquals("BAD_USERNAME_OR_PWD", reply.code());
        assertEquals("application/json", reply.header("Content-Type"));
    }

    @Test
    public void unknownBasicUserIsBadUsernameOrPassword() throws Exception {
        Reply reply = api.get("/api/v5/plugins", ApiTestServer.basic("nobody", "x"));
        assertEquals(401, reply.status());
        assertEquals("BAD_USERNAME_OR_PWD", reply.code());
    }

    @Test
    public void garbledBasicHeaderIsAuthorizationHeaderError() throws Exception {
        Reply reply = api.get("/api/v5/plugins", "Basic !!!not-base64");
        assertEquals(401, reply.status());
        assertEquals("AUTHORIZATION_HEADER_ERROR", reply.code());
    }

    @Test
    public void adminBasicAuthIsAccepted() throws Exception {
        assertEquals(200, api.get("/api/v5/plugins", ADMIN).status());
    }

    @Test
    public void loginReturnsATokenThatWorksAsBearer() throws Exception {
        Reply login = api.post("/api/v5/login", "{\"username\":\"admin\",\"password\":\"public\"}", null);
        assertEquals(200, login.status());
        assertEquals("opensource", login.json().getAsJsonObject("license").get("edition").getAsString());
        assertEquals("0.1.0", login.json().get("version").getAsString());
        String bearer = "Bearer " + login.json().get("token").getAsString();
        assertEquals(200, api.get("/api/v5/api_key", bearer).status());
    }

    @Test
    public void loginWithWrongPasswordIs401() throws Exception {
        Reply login = api.post("/api/v5/login", "{\"username\":\"admin\",\"password\":\"nope\"}", null);
        assertEquals(401, login.status());
        assertEquals("BAD_USERNAME_OR_PWD", login.code());
    }

    @Test
    public void logoutRevokesTheToken() throws Exception {
        Reply login = api.post("/api/v5/login", "{\"username\":\"admin\",\"password\":\"public\"}", null);
        String bearer = "Bearer " + login.json().get("token").getAsString();
        assertEquals(204, api.post("/api/v5/logout", "{}", bearer).status());
        Reply after = api.get("/api/v5/plugins", bearer);
        assertEquals(401, after.status());
        assertEquals("BAD_TOKEN", after.code());
    }

    @Test
    public void unknownBearerTokenIsBadToken() throws Exception {
        Reply reply = api.get("/api/v5/plugins", "Bearer made-up");
        assertEquals(401, reply.status());
        assertEquals("BAD_TOKEN", reply.code());
    }

    @Test
    public void unknownPathUnderTheApiIsJson404() throws Exception {
        Reply reply = api.get("/api/v5/no-such-thing", ADMIN);
        assertEquals(404, reply.status());
        assertEquals("NOT_FOUND", reply.code());
    }

    @Test
    public void pathOutsideTheApiIsJson404() throws Exception {
        Reply reply = api.get("/index.html", null);
        assertEquals(404, reply.status());
        assertEquals("NOT_FOUND", reply.code());
    }

    @Test
    public void wrongMethodIsJson405() throws Exception {
        Reply reply = api.delete("/api/v5/publish", ADMIN);
        assertEquals(405, reply.status());
        assertEquals("METHOD_NOT_ALLOWED", reply.code());
    }

    @Test
    public void requestJettyRejectsBeforeJerseyStillGetsJsonError() throws Exception {
        String raw = rawExchange("GET /api/v5/status HTTP/1.1\r\nHost: x\r\nNo-Colon-Header\r\n\r\n");
        assertTrue(raw, raw.startsWith("HTTP/1.1 400"));
        assertTrue(raw, raw.contains("application/json"));
        assertTrue(raw, raw.contains("\"code\":\"BAD_REQUEST\""));
    }

    private static String rawExchange(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(api.uri("/").getHost(), api.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
