package io.aviary.bridge.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import io.aviary.api.rules.Templates;
import io.aviary.rules.TemplateService;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The http connector and sink against a real HTTP server in this JVM: templates rendered into the
 * request, 2xx accepted, 4xx fatal and sent once, 5xx retryable after max_retries re-sends, and
 * the health check's own words for a closed port.
 */
public class HttpSinkTest {

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger hits = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Connector connector;

    private final ConnectorContext context = new ConnectorContext() {
        private final Templates templates = new TemplateService();

        @Override public String tenant() { return "acme"; }
        @Override public String connectorId() { return "http:c1"; }
        @Override public Templates templates() { return templates; }
        @Override public ScheduledExecutorService scheduler() { return scheduler; }
    };

    @Before
    public void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/", x -> {
            hits.incrementAndGet();
            bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            paths.add(x.getRequestMethod() + " " + x.getRequestURI() + " " + x.getRequestHeaders().getFirst("x-dev"));
            x.sendResponseHeaders(status.get(), -1);
            x.close();
        });
        server.start();
        connector = new HttpConnectorType().open(context, Map.of("url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/base/"));
    }

    @After
    public void stop() {
        connector.close();
        server.stop(0);
        scheduler.shutdownNow();
    }

    private static final Map<String, Object> RECORD = Map.of("clientid", "dev-1", "payload", Map.of("t", 21L));

    @Test
    public void theRequestCarriesTheRenderedPathHeadersAndBody() throws Exception {
        Sink sink = connector.sink("http:a1", Map.of("path", "in/${clientid}", "method", "put",
                "headers", Map.of("x-dev", "${clientid}"), "body", "t=${payload.t}"));
        sink.send(List.of(RECORD)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("t=21"), bodies);
        assertEquals(List.of("PUT /base/in/dev-1 dev-1"), paths);
    }

    @Test
    public void withoutABodyTemplateTheWholeOutputIsSentAsJson() throws Exception {
        connector.sink("http:a1", Map.of()).send(List.of(RECORD)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(bodies.get(0), bodies.get(0).contains("\"clientid\":\"dev-1\""));
    }

    @Test
    public void aClientErrorIsFatalAndSentOnce() {
        status.set(404);
        SinkException e = failure(connector.sink("http:a1", Map.of("max_retries", 3L)));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().startsWith("HTTP 404 from POST"));
        assertEquals(1, hits.get());
    }

    @Test
    public void aServerErrorIsRetryableAfterMaxRetriesResends() {
        status.set(503);
        SinkException e = failure(connector.sink("http:a1", Map.of("max_retries", 2L)));
        assertTrue(e.retryable());
        assertEquals(3, hits.get());
    }

    @Test
    public void aClosedPortIsRefusedInTheHealthCheckAndTheSend() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Connector down = new HttpConnectorType().open(context, Map.of("url", "http://127.0.0.1:" + closed));
        try {
            Health h = down.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(Health.Status.DISCONNECTED, h.status());
            assertTrue(h.error(), h.error().contains("Connection refused"));
            SinkException e = failure(down.sink("http:a1", Map.of("max_retries", 0L)));
            assertTrue(e.retryable());
            assertTrue(e.getMessage(), e.getMessage().contains("127.0.0.1:" + closed));
        } finally {
            down.close();
        }
    }

    @Test
    public void aMalformedUrlOrTemplateIsRefusedNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HttpConnectorType().open(context,
                Map.of("url", "not a url"))).getMessage().contains("'url'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> connector.sink("http:a1",
                Map.of("request_timeout", "soon"))).getMessage().contains("parameters.request_timeout"));
    }

    @Test
    public void theActionPathIsAppendedToTheConnectorUrl() {
        assertEquals("http://h/api/x", HttpSink.join("http://h/api", "x"));
        assertEquals("http://h/api/x", HttpSink.join("http://h/api/", "/x"));
        assertEquals("http://h/api", HttpSink.join("http://h/api", ""));
        java.net.ConnectException unresolved = new java.net.ConnectException();
        unresolved.initCause(new java.nio.channels.UnresolvedAddressException());
        assertEquals("unknown host: nowhere.invalid", HttpSink.describe(unresolved, URI.create("http://nowhere.invalid")));
        assertEquals("Connection refused (h:8080)", HttpSink.describe(new java.net.ConnectException(),
                URI.create("http://h:8080/x")));
    }

    private static SinkException failure(Sink sink) {
        try {
            sink.send(List.of(RECORD)).toCompletableFuture().join();
        } catch (CompletionException e) {
            return (SinkException) e.getCause();
        }
        throw new AssertionError("the send succeeded");
    }
}
