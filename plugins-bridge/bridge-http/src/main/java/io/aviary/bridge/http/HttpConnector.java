package io.aviary.bridge.http;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One http connector: the JDK HttpClient (it keeps a pool of HTTP/1.1 keep-alive connections per
 * host), the base URL and headers, and the TLS settings. Its health check opens a TCP connection
 * to the URL's host and port (and for https completes a TLS handshake with the same trust
 * settings), so a wrong host, a closed port or an untrusted certificate shows as disconnected
 * with the system's own words, without sending a request to the webhook.
 */
final class HttpConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnector.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(4);

    final ConnectorContext context;
    final URI base;
    final Map<String, String> headers;
    final HttpClient client;
    private final TlsOptions tls;
    private final Duration connectTimeout;
    private final ExecutorService checks;

    private HttpConnector(ConnectorContext context, URI base, Map<String, String> headers, TlsOptions tls,
            Duration connectTimeout) {
        this.context = context;
        this.base = base;
        this.headers = headers;
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            b.sslContext(tls.context()).sslParameters(tls.parameters());
        }
        this.client = b.build();
        this.checks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "aviary-http-check-" + context.tenant() + "-" + context.connectorId());
            t.setDaemon(true);
            return t;
        });
    }

    static HttpConnector open(ConnectorContext context, Map<String, Object> config) {
        Object url = config.get("url");
        URI base;
        try {
            base = URI.create(String.valueOf(url));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'url' is not a URL: " + e.getMessage());
        }
        if (base.getHost() == null || base.getScheme() == null) {
            throw new IllegalArgumentException("field 'url' must be http(s)://host[:port][/path], was '" + url + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (config.get("headers") instanceof Map<?, ?> h) {
            h.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
        }
        TlsOptions tls = TlsOptions.of(config.get("ssl"));
        Duration connect = Durations.of(config.get("connect_timeout"), Duration.ofSeconds(15), "connect_timeout");
        return new HttpConnector(context, base, headers, tls, connect);
    }

    boolean https() {
        return "https".equalsIgnoreCase(base.getScheme());
    }

    int port() {
        return base.getPort() > 0 ? base.getPort() : https() ? 443 : 80;
    }

    @Override
    public CompletionStage<Health> check() {
        return CompletableFuture.supplyAsync(this::probe, checks);
    }

    private Health probe() {
        int timeout = (int) Math.min(connectTimeout.toMillis(), CHECK_TIMEOUT.toMillis());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), port()), timeout);
            if (https()) {
                handshake(s, timeout);
            }
            return Health.connected();
        } catch (UnknownHostException e) {
            return Health.disconnected("unknown host: " + e.getMessage());
        } catch (ConnectException e) {
            return Health.disconnected(e.getMessage() + " (" + base.getHost() + ":" + port() + ")");
        } catch (IOException e) {
            return Health.disconnected(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private void handshake(Socket plain, int timeout) throws IOException {
        javax.net.ssl.SSLSocketFactory f = tls != null ? tls.context().getSocketFactory()
                : (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault();
        try (SSLSocket ssl = (SSLSocket) f.createSocket(plain, base.getHost(), port(), false)) {
            SSLParameters p = tls != null ? tls.parameters() : ssl.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(p);
            ssl.setSoTimeout(timeout);
            ssl.startHandshake();
        }
    }

    @Override
    public Sink sink(String actionId, Map<String, Object> parameters) {
        return new HttpSink(this, actionId, parameters);
    }

    @Override
    public void close() {
        checks.shutdownNow();
        LOG.debug("http connector tenant={} connector={} closed", context.tenant(), context.connectorId());
    }
}
