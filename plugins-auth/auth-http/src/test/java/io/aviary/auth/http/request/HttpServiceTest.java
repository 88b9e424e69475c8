package io.aviary.auth.http.request;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** HttpService against a real HTTP server in this JVM (the JDK's com.sun.net.httpserver). */
public class HttpServiceTest {
    private HttpServer server;
    private ExecutorService handlers;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<HttpService> services = new ArrayList<>();

    @Before
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
    }

    @After
    public void stop() {
        release.countDown();
        services.forEach(HttpService::close);
        server.stop(0);
        handlers.shutdownNow();
    }

    private HttpService service(String url, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("method", "post");
        props.put("url", url);
        props.putIfAbsent("body", "{\"username\":\"${username}\",\"password\":\"${password}\"}");
        HttpService s = new HttpService(HttpSettings.from(props, 5000), ClientValues.AUTHN, null, "test");
        services.add(s);
        return s;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static void reply(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            x.getResponseBody().write(b);
        }
        x.close();
    }

    private static Map<String, String> user(String name, String password) {
        Map<String, String> v = new HashMap<>();
        v.put("username", name);
        v.put("password", password);
        return v;
    }

    @Test
    public void theServiceReceivesTheRenderedRequestAndItsAnswerDecides() throws Exception {
        List<String> bodies = new ArrayList<>();
        server.createContext("/auth", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (bodies) {
                bodies.add(x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("Content-Type") + " " + body);
            }
            var o = JsonParser.parseString(body).getAsJsonObject();
            boolean ok = "s3cret".equals(o.get("password").getAsString());
            reply(x, 200, "{\"result\":\"" + (ok ? "allow" : "deny") + "\"}");
        });
        HttpService s = service(url("/auth"), Map.of());
        String hostile = "' OR '1'='1\", \"password\": \"s3cret";
        assertEquals(ServiceAnswer.Outcome.ALLOW, s.ask(user("alice", "s3cret"), true).get(5, TimeUnit.SECONDS).outcome());
        assertEquals(ServiceAnswer.Outcome.DENY, s.ask(user(hostile, "x"), true).get(5, TimeUnit.SECONDS).outcome());
        assertEquals("POST application/json {\"username\":\"alice\",\"password\":\"s3cret\"}", bodies.get(0));
        assertEquals(hostile, JsonParser.parseString(bodies.get(1).substring(bodies.get(1).indexOf('{')))
                .getAsJsonObject().get("username").getAsString());
    }

    @Test
    public void aServiceThatIsDownIsAFailureAtOnce() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        long begin = System.nanoTime();
        ServiceAnswer a = service("http://127.0.0.1:" + port + "/auth", Map.of()).ask(user("a", "b"), true)
                .get(5, TimeUnit.SECONDS);
        assertEquals(ServiceAnswer.Outcome.FAILURE, a.outcome());
        assertTrue(a.why(), a.why().startsWith("request failed"));
        assertTrue("refused, not timed out", System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(3));
    }

    @Test
    public void aSlowServiceIsCutOffAtTheRequestTimeout() throws Exception {
        server.createContext("/slow", x -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(x, 200, "{\"result\":\"allow\"}");
        });
        long begin = System.nanoTime();
        ServiceAnswer a = service(url("/slow"), Map.of("request_timeout", "300ms")).ask(user("a", "b"), true)
                .get(5, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertEquals(ServiceAnswer.Outcome.FAILURE, a.outcome());
        assertTrue(a.why(), a.why().startsWith("no answer within 300 ms"));
        assertTrue("took " + ms + " ms", ms >= 290 && ms < 3000);
    }

    @Test
    public void atMostPoolSizeRequestsAreInFlight() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch twoIn = new CountDownLatch(2);
        server.createContext("/held", x -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            twoIn.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            reply(x, 204, "");
        });
        HttpService s = service(url("/held"), Map.of("pool_size", 2L));
        List<CompletableFuture<ServiceAnswer>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(s.ask(user("u" + i, "p"), true));
        }
        assertTrue(twoIn.await(5, TimeUnit.SECONDS));
        assertEquals(2, now.get());
        release.countDown();
        for (CompletableFuture<ServiceAnswer> a : answers) {
            assertEquals(ServiceAnswer.Outcome.ALLOW, a.get(5, TimeUnit.SECONDS).outcome());
        }
        assertEquals(2, most.get());
    }

    @Test
    public void aServiceTricklingItsAnswerDoesNotHoldTheConnectionAfterTheTimeout() throws Exception {
        server.createContext("/trickle", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("\"trickle\"")) {
                x.getResponseHeaders().set("Content-Type", "application/json");
                x.sendResponseHeaders(200, 100);
                x.getResponseBody().write('{');
                x.getResponseBody().flush();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                x.close();
            } else {
                reply(x, 204, "");
            }
        });
        HttpService s = service(url("/trickle"), Map.of("pool_size", 1L, "request_timeout", "500ms"));
        ServiceAnswer slow = s.ask(user("trickle", "p"), true).get(5, TimeUnit.SECONDS);
        assertEquals(ServiceAnswer.Outcome.FAILURE, slow.outcome());
        assertEquals("the only connection is free again", ServiceAnswer.Outcome.ALLOW,
                s.ask(user("next", "p"), true).get(5, TimeUnit.SECONDS).outcome());
    }

    @Test
    public void anOversizedAnswerIsAFailure() throws Exception {
        server.createContext("/big", x -> reply(x, 200, "{\"result\":\"allow\",\"pad\":\"" + "x".repeat(200_000) + "\"}"));
        ServiceAnswer a = service(url("/big"), Map.of()).ask(user("a", "b"), true).get(5, TimeUnit.SECONDS);
        assertEquals(ServiceAnswer.Outcome.FAILURE, a.outcome());
    }
}
