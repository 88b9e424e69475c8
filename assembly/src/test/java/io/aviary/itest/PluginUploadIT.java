package io.aviary.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Plugins uploaded through the admin API (multipart/form-data), accepted only after the host's
 * operator allowed the jar's sha256 with {@code bin/aviary plugins allow}, then uninstalled
 * through the API with their instances and jar.
 */
public class PluginUploadIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    public void anAllowedUploadIsInstalledAndCanBeUninstalled() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        Path jar = tmp.getRoot().toPath().resolve("upload-hello.jar");
        TestPlugins.plugin(jar, "upload-hello", "1.0.0");
        byte[] bytes = Files.readAllBytes(jar);
        String sha = sha256(bytes);

        HttpResponse<String> refused = upload(AdminHttp.ADMIN, bytes);
        assertEquals(refused.body(), 403, refused.statusCode());
        assertTrue(refused.body(), JsonParser.parseString(refused.body()).getAsJsonObject().get("message")
                .getAsString().contains("bin/aviary plugins allow " + sha));
        assertFalse(Files.exists(dist.plugins().resolve("io.aviary.test.upload-hello-1.0.0.jar")));

        assertEquals(0, allow(sha));
        assertEquals(401, upload(null, bytes).statusCode());
        HttpResponse<String> installed = upload(AdminHttp.ADMIN, bytes);
        assertEquals(installed.body(), 200, installed.statusCode());
        assertTrue(installed.body(), installed.body().contains("\"name\":\"upload-hello\""));
        assertTrue(Files.exists(dist.plugins().resolve("io.aviary.test.upload-hello-1.0.0.jar")));
        assertTrue(admin.get("/plugins").body().contains("upload-hello"));
        AdminHttp.Reply schema = admin.get("/plugins/upload-hello/schema");
        assertEquals(JsonParser.parseString(TestPlugins.SCHEMA), schema.json());

        assertEquals("an allowance is used up by its upload", 403, upload(AdminHttp.ADMIN, bytes).statusCode());

        AdminHttp.Reply instance = admin.post("/plugin_instances",
                "{\"plugin\":\"upload-hello\",\"config\":{\"greeting\":\"hi\"}}");
        assertEquals(instance.body(), 201, instance.status());
        assertEquals(204, admin.delete("/plugins/upload-hello").status());
        assertFalse(admin.get("/plugins").body().contains("upload-hello"));
        assertFalse(Files.exists(dist.plugins().resolve("io.aviary.test.upload-hello-1.0.0.jar")));
        assertFalse("its instances go with it", admin.get("/plugin_instances").body().contains("upload-hello"));
        AdminHttp.Reply gone = admin.delete("/plugins/upload-hello");
        assertEquals(404, gone.status());
        assertEquals("NOT_FOUND", gone.code());
    }

    @Test
    public void aCorruptForbiddenOrOversizedUploadIsRefused() throws Exception {
        dist = new Distribution().start("--set", "dashboard.plugin_upload_max_size=64KB").awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        byte[] garbage = "this is not a jar".getBytes(StandardCharsets.UTF_8);
        assertEquals(0, allow(sha256(garbage)));
        HttpResponse<String> corrupt = upload(AdminHttp.ADMIN, garbage);
        assertEquals(corrupt.body(), 400, corrupt.statusCode());
        assertTrue(corrupt.body(), corrupt.body().contains("'plugin'"));

        AdminHttp.Reply key = admin.post("/api_key", "{\"name\":\"plugin-viewer\",\"role\":\"viewer\"}");
        var k = key.json().getAsJsonObject();
        String viewer = AdminHttp.basic(k.get("api_key").getAsString(), k.get("api_secret").getAsString());
        assertEquals(403, upload(viewer, garbage).statusCode());
        assertEquals(403, admin.as(viewer).delete("/plugins/anything").status());
        assertEquals(404, admin.delete("/plugins/no-such-plugin").status());
        assertEquals("the allow command checks its argument", 2, allow("not-a-sha"));

        byte[] big = new byte[200 * 1024];
        assertEquals(0, allow(sha256(big)));
        HttpResponse<String> tooBig = upload(AdminHttp.ADMIN, big);
        assertEquals(tooBig.body(), 413, tooBig.statusCode());
        assertTrue("a small JSON body is still fine", admin.get("/plugins").status() == 200);
    }

    private int allow(String sha) throws Exception {
        Process p = new ProcessBuilder(dist.home.resolve("bin/aviary").toString(), "plugins", "allow", sha)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private HttpResponse<String> upload(String auth, byte[] jar) throws Exception {
        String boundary = "----aviary" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"plugin\"; filename=\"p.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(jar);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dist.adminPort
                + "/api/v5/plugins/install")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
