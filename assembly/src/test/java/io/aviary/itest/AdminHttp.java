package io.aviary.itest;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A java.net.http client of the admin API for the integration tests: any method, any body, any
 * credentials (or none), answers parsed as JSON on demand.
 */
public final class AdminHttp {

    public static final String ADMIN = basic("admin", "public");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String auth;

    public AdminHttp(int port, String auth) {
        this.port = port;
        this.auth = auth;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public AdminHttp as(String otherAuth) {
        return new AdminHttp(port, otherAuth);
    }

    /** The answer: status, text body, and the body as JSON. */
    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonElement json() {
            return JsonParser.parseString(body);
        }

        public String code() {
            return json().getAsJsonObject().get("code").getAsString();
        }

        public String message() {
            return json().getAsJsonObject().get("message").getAsString();
        }
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    public Reply post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    public Reply put(String path, String json) throws IOException, InterruptedException {
        return send("PUT", path, json);
    }

    public Reply delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    public Reply send(String method, String path, String json) throws IOException, InterruptedException {
        return send(method, path, json, "application/json");
    }

    /** A request whose body is of another type (e.g. text/csv). */
    public Reply send(String method, String path, String body, String contentType) throws IOException, InterruptedException {
        String json = body;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v5" + path))
                .timeout(Duration.ofSeconds(10));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (json != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }
}
