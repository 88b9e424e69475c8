package io.aviary.auth.http.request;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * One instance's service: renders the request from a call's placeholder values, sends it and reads
 * the answer. Never fails: a request that cannot be rendered, a service that is down, slow
 * (request_timeout) or answers nonsense all come back as a FAILURE answer saying why.
 */
public final class HttpService implements AutoCloseable {
    private final HttpSettings settings;
    private final RequestTemplate template;
    private final HttpBackend backend;

    public HttpService(HttpSettings settings, Set<String> placeholders, Path home, String threadName) {
        this.settings = settings;
        this.template = new RequestTemplate(settings, placeholders);
        this.backend = new HttpBackend(settings, home, threadName);
    }

    public HttpSettings settings() {
        return settings;
    }

    /** @param authn whether to read the answer as authentication (else authorization) */
    public CompletableFuture<ServiceAnswer> ask(Map<String, String> values, boolean authn) {
        try {
            return backend.send(template.request(values, settings.requestTimeoutMs())).handle((r, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    return ServiceAnswer.of(ServiceAnswer.Outcome.FAILURE, cause instanceof TimeoutException
                            || cause instanceof java.net.http.HttpTimeoutException
                            ? "no answer within " + settings.requestTimeoutMs() + " ms" : "request failed: " + cause);
                }
                return read(r, authn);
            });
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(ServiceAnswer.of(ServiceAnswer.Outcome.FAILURE, e.getMessage()));
        }
    }

    private static ServiceAnswer read(HttpResponse<byte[]> r, boolean authn) {
        String contentType = r.headers().firstValue("content-type").orElse(null);
        return authn ? ServiceAnswer.authn(r.statusCode(), contentType, r.body())
                : ServiceAnswer.authz(r.statusCode(), contentType, r.body());
    }

    @Override
    public void close() {
        backend.close();
    }
}
