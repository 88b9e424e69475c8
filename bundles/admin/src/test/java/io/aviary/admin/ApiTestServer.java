package io.aviary.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Starts a real AdminServer (Jetty + Jersey) on a free port of 127.0.0.1 with a data directory
 * of the test's choosing, and calls it with java.net.http.HttpClient.
 */
final class ApiTestServer implements AutoCloseable {

    static final String ADMIN = basic("admin", "public");

    /** One HTTP exchange: status, body text and the response for headers. */
    record Reply(int status, String body, HttpResponse<String> response) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        JsonElement jsonElement() {
            return JsonParser.parseString(body);
        }

        String code() {
            return json().get("code").getAsString();
        }

        String message() {
            return json().get("message").getAsString();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    final AdminServer server;
    final InMemoryPluginManagerForTest plugins = new InMemoryPluginManagerForTest();
    final InMemoryBrokerForTest broker = new InMemoryBrokerForTest();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    ApiTestServer(Path dataDir) throws Exception {
        this(dataDir, true);
    }

    ApiTestServer(Path dataDir, boolean withServices) throws Exception {
        server = new AdminServer(TestConfig.onFreePort(),
                new AdminServer.Environment(dataDir, "aviary@127.0.0.1", "0.1.0"));
        if (withServices) {
            server.setPluginManager(plugins);
            server.setBroker(broker);
        }
        port = server.started().get(30, TimeUnit.SECONDS);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    Reply get(String path, String authorization) throws IOException, InterruptedException {
        return send(request(path, authorization).GET());
    }

    Reply delete(String path, String authorization) throws IOException, InterruptedException {
        return send(request(path, authorization).DELETE());
    }

    Reply post(String path, String json, String authorization) throws IOException, InterruptedException {
        return send(request(path, authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply put(String path, String json, String authorization) throws IOException, InterruptedException {
        return send(request(path, authorization).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    Reply send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response);
    }

    @Override
    public void close() {
        server.deactivate();
    }
}
