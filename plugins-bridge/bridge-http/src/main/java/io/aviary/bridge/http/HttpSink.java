package io.aviary.bridge.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import io.aviary.api.rules.TextTemplate;
import io.aviary.api.rules.Templates;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One http action: its path, header and body templates parsed once, one request per record
 * (EMQX's webhook sends one request per message). 2xx is success; 4xx fails the record for good
 * (the request itself is wrong, sending it again changes nothing); 5xx, timeouts and connection
 * failures are retryable: tried again at once up to max_retries, then handed to the runtime's
 * backoff. A batch completes when every request did; it fails fatally only when every failure was.
 */
final class HttpSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSink.class);
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final int MAX_ERROR_BODY = 200;

    private final HttpConnector connector;
    private final String actionId;
    private final String method;
    private final TextTemplate path;
    private final Map<String, TextTemplate> headers = new LinkedHashMap<>();
    private final TextTemplate body;
    private final int maxRetries;
    private final Duration timeout;

    HttpSink(HttpConnector connector, String actionId, Map<String, Object> p) {
        this.connector = connector;
        this.actionId = actionId;
        Templates t = connector.context.templates();
        this.method = String.valueOf(p.getOrDefault("method", "post")).toUpperCase(Locale.ROOT);
        this.path = template(t, p.get("path"), "parameters.path");
        connector.headers.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), template(t, v, "headers." + k)));
        if (p.get("headers") instanceof Map<?, ?> h) {
            h.forEach((k, v) -> headers.put(String.valueOf(k).toLowerCase(Locale.ROOT),
                    template(t, v, "parameters.headers." + k)));
        }
        headers.putIfAbsent("content-type", t.text("application/json"));
        Object b = p.get("body");
        this.body = b == null || b.toString().isEmpty() ? null : template(t, b, "parameters.body");
        this.maxRetries = p.get("max_retries") instanceof Number n ? n.intValue() : 2;
        this.timeout = Durations.of(p.get("request_timeout"), Duration.ofSeconds(15), "parameters.request_timeout");
    }

    private static TextTemplate template(Templates t, Object text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return t.text(String.valueOf(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "': " + e.getMessage());
        }
    }

    @Override
    public CompletionStage<Void> send(List<Map<String, Object>> records) {
        List<CompletableFuture<Void>> all = new ArrayList<>(records.size());
        for (Map<String, Object> r : records) {
            HttpRequest request;
            try {
                request = request(r);
            } catch (IllegalArgumentException bad) {
                all.add(CompletableFuture.failedFuture(SinkException.fatal(bad.getMessage(), bad)));
                continue;
            }
            all.add(attempt(request, maxRetries));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).handle((ok, err) -> {
            if (err == null) {
                return null;
            }
            SinkException first = null;
            boolean anyRetryable = false;
            for (CompletableFuture<Void> f : all) {
                if (f.isCompletedExceptionally()) {
                    SinkException e = unwrap(f);
                    first = first == null ? e : first;
                    anyRetryable |= e.retryable();
                }
            }
            throw anyRetryable && !first.retryable() ? SinkException.retryable(first.getMessage(), first) : first;
        });
    }

    private static SinkException unwrap(CompletableFuture<Void> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause() instanceof SinkException s ? s : SinkException.retryable(String.valueOf(e.getCause()), e);
        }
    }

    private HttpRequest request(Map<String, Object> record) {
        String suffix = path == null ? "" : path.render(record);
        URI uri = URI.create(join(connector.base.toString(), suffix));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        headers.forEach((k, v) -> {
            if (!k.equals("connection") && !k.equals("keep-alive") && !k.equals("content-length") && !k.equals("host")) {
                b.header(k, v.render(record)); // the JDK client manages the connection headers itself
            }
        });
        boolean hasBody = method.equals("POST") || method.equals("PUT");
        String text = body == null ? GSON.toJson(record) : body.render(record);
        b.method(method, hasBody ? HttpRequest.BodyPublishers.ofString(text) : HttpRequest.BodyPublishers.noBody());
        return b.build();
    }

    /** The connector's URL with the action's path appended ("http://h/api" + "msgs" = "http://h/api/msgs"). */
    static String join(String base, String path) {
        if (path.isEmpty()) {
            return base;
        }
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return b + (path.startsWith("/") ? path : "/" + path);
    }

    private CompletableFuture<Void> attempt(HttpRequest request, int retriesLeft) {
        return connector.client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, err) -> {
                    if (err != null) {
                        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                        return SinkException.retryable(describe(cause), cause);
                    }
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        return null;
                    }
                    String msg = "HTTP " + status + " from " + request.method() + " " + request.uri() + ": "
                            + excerpt(response.body());
                    if (status >= 400 && status < 500) {
                        LOG.warn("http tenant={} action={} request refused, not retried: {}",
                                connector.context.tenant(), actionId, msg);
                        return SinkException.fatal(msg, null);
                    }
                    return SinkException.retryable(msg, null);
                })
                .thenCompose(failure -> {
                    if (failure == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (failure.retryable() && retriesLeft > 0) {
                        return attempt(request, retriesLeft - 1);
                    }
                    return CompletableFuture.<Void>failedFuture(failure);
                });
    }

    private static String describe(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            return "connect timed out: " + t.getMessage();
        }
        if (t instanceof HttpTimeoutException) {
            return "request timed out: " + t.getMessage();
        }
        if (t instanceof ConnectException) {
            return "Connection refused" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static String excerpt(String body) {
        if (body == null || body.isEmpty()) {
            return "(empty body)";
        }
        return body.length() <= MAX_ERROR_BODY ? body : body.substring(0, MAX_ERROR_BODY) + "...";
    }
}
