package io.aviary.auth.http.request;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One instance's connection to its service: a JDK HttpClient (HTTP/1.1, no redirects, the
 * instance's connect timeout and TLS trust) with at most {@code pool_size} requests in flight, so
 * at most that many connections are open (the JDK keeps idle ones for reuse); further requests
 * wait in a bounded queue. Every answer is bounded by {@code request_timeout}, the wait included,
 * and by {@link #MAX_BODY} bytes, so a slow or hostile service costs a bounded time and memory.
 */
public final class HttpBackend implements AutoCloseable {
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_WAITING = 10_000;

    private final HttpClient client;
    private final ExecutorService executor;
    private final long timeoutMs;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();

    /** @param home the installation directory a relative cacertfile is resolved against (may be null) */
    public HttpBackend(HttpSettings settings, Path home, String threadName) {
        this.timeoutMs = settings.requestTimeoutMs();
        this.permits = new Semaphore(Math.max(1, settings.poolSize()));
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofMillis(settings.connectTimeoutMs()))
                .executor(executor);
        if (settings.tls().enable()) {
            b.sslContext(sslContext(settings.tls(), home));
        }
        this.client = b.build();
    }

    /** The response (status, headers, at most MAX_BODY bytes), or a failed stage within the timeout. */
    public CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> out = new CompletableFuture<>();
        out.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        Runnable start = () -> {
            if (out.isDone()) { // timed out while waiting
                release();
                return;
            }
            CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, info -> new LimitedBody(MAX_BODY));
            exchange.whenComplete((r, e) -> {
                release();
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(r);
                }
            });
            // timed out while the exchange still runs (e.g. a service trickling its body): abort it,
            // so its connection and permit are not held after the caller has moved on (cancel aborts
            // the exchange since JDK 16; the request's own timeout may have ended it already)
            out.whenComplete((r, e) -> {
                if (e != null && !exchange.isDone()) {
                    exchange.cancel(true);
                }
            });
        };
        if (permits.tryAcquire()) {
            start.run();
        } else if (waitingCount.incrementAndGet() > MAX_WAITING) {
            waitingCount.decrementAndGet();
            out.completeExceptionally(new RejectedExecutionException(MAX_WAITING + " requests already wait"));
        } else {
            waiting.add(start);
            drain();
        }
        return out;
    }

    private void release() {
        permits.release();
        drain();
    }

    /** Starts waiting requests while permits are free (also closes the race with a concurrent release). */
    private void drain() {
        while (!waiting.isEmpty() && permits.tryAcquire()) {
            Runnable next = waiting.poll();
            if (next == null) {
                permits.release();
                return;
            }
            waitingCount.decrementAndGet();
            next.run();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow(); // the JDK 17 client has no close(); its selector thread ends with it
    }

    static SSLContext sslContext(HttpSettings.Tls tls, Path home) {
        try {
            TrustManager[] trust;
            if (!tls.verifyPeer()) {
                trust = new TrustManager[] {new TrustAll()};
            } else if (tls.cacertfile() != null) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(pem(tls.cacertfile(), home))) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                if (i == 0) {
                    throw new IllegalArgumentException("field 'ssl.cacertfile': holds no certificate");
                }
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init(store);
                trust = f.getTrustManagers();
            } else {
                trust = null; // the JVM's trusted CAs
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("field 'ssl.cacertfile': " + e.getMessage(), e);
        }
    }

    /** EMQX takes the CA as PEM text or as a file's path; a relative path is under the installation. */
    private static InputStream pem(String cacertfile, Path home) throws IOException {
        if (cacertfile.contains("-----BEGIN")) {
            return new java.io.ByteArrayInputStream(cacertfile.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Path p = home == null ? Path.of(cacertfile) : home.resolve(cacertfile);
        return Files.newInputStream(p);
    }

    /** ssl.verify = verify_none: any certificate and host name (as EMQX's verify_none; documented as unsafe). */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
