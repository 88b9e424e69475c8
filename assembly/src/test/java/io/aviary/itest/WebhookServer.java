package io.aviary.itest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP (or HTTPS) server in the test JVM, the webhook the http sink writes to: it records
 * every request (method, path, headers, body) and answers the status the test sets. It can be
 * stopped and started again on the same port, for the outage tests.
 */
final class WebhookServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(String method, String path, Map<String, String> headers, String body) {}

    final int port;
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    final AtomicInteger status = new AtomicInteger(200);
    private final SSLContext tls;
    private HttpServer server;

    WebhookServer(SSLContext tls) throws IOException {
        this.port = Distribution.freePort();
        this.tls = tls;
    }

    String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    WebhookServer start() throws IOException {
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        if (tls == null) {
            server = HttpServer.create(at, 50);
        } else {
            HttpsServer s = HttpsServer.create(at, 50);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = s;
        }
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        x.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        int answer = status.get();
        if (answer / 100 == 2) {
            requests.add(new Request(x.getRequestMethod(), x.getRequestURI().toString(), headers, body));
        }
        byte[] reply = (answer / 100 == 2 ? "ok" : "refused with " + answer).getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(answer, reply.length);
        x.getResponseBody().write(reply);
        x.close();
    }

    Request next() throws InterruptedException {
        Request r = requests.poll(15, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the webhook received no request within 15 s");
        }
        return r;
    }

    @Override
    public void close() {
        stop();
    }
}
