package io.aviary.broker.transport;

import io.aviary.broker.config.TlsOptions;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS listener's server context, rebuilt when its PEM files change so that renewed
 * certificates take effect without a restart. Open connections keep the context they
 * handshook with (nothing is dropped); new connections get the new one. The files are looked at
 * most once a second, on accept, so the check costs nothing per message. A rebuild that fails
 * (say, a key written before its certificate) keeps the previous context and is logged once.
 * Uses BoringSSL (netty-tcnative) when its native library loads, else the JDK's TLS: BoringSSL
 * measured about 3.5 times the handshake rate here (docs/architecture.md).
 */
public final class ReloadingSslContext {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);
    static final long CHECK_EVERY_MS = 1_000;

    private final String listener;
    private final TlsOptions options;
    private final List<Path> files = new ArrayList<>();
    private volatile SslContext context;
    private volatile long stamp;
    private volatile long checkedAt;

    public ReloadingSslContext(String listener, TlsOptions options) throws SSLException {
        this.listener = listener;
        this.options = options;
        if (options.certfile() == null || options.keyfile() == null) {
            throw new IllegalArgumentException(listener + ": ssl_options.certfile and ssl_options.keyfile are required");
        }
        if (options.verifyPeer() && options.cacertfile() == null) {
            throw new IllegalArgumentException(listener + ": verify_peer needs ssl_options.cacertfile");
        }
        for (String f : new String[] {options.certfile(), options.keyfile(), options.cacertfile()}) {
            if (f != null) {
                files.add(Path.of(f));
            }
        }
        this.stamp = stamp();
        this.context = build();
        this.checkedAt = System.currentTimeMillis();
        LOG.info("listener {} uses {} TLS ({})", listener, provider() == SslProvider.OPENSSL ? "BoringSSL" : "JDK",
                String.join(", ", options.jdkProtocols()));
    }

    /** The context for a new connection, reloaded first when a file changed since the last look. */
    public SslContext current() {
        long now = System.currentTimeMillis();
        if (now - checkedAt >= CHECK_EVERY_MS) {
            checkedAt = now;
            reloadIfChanged();
        }
        return context;
    }

    synchronized void reloadIfChanged() {
        long s = stamp();
        if (s == stamp) {
            return;
        }
        try {
            context = build();
            stamp = s;
            LOG.info("listener {} reloaded its TLS certificate files", listener);
        } catch (Exception e) {
            stamp = s; // log a broken file set once, retry when it changes again
            LOG.warn("listener {} keeps its previous TLS context: {}", listener, e.toString());
        }
    }

    private long stamp() {
        long sum = 0;
        for (Path p : files) {
            try {
                sum = sum * 31 + Files.getLastModifiedTime(p).toMillis() + Files.size(p);
            } catch (Exception missing) {
                sum = sum * 31 - 1;
            }
        }
        return sum;
    }

    /** BoringSSL when netty-tcnative is installed and loads on this platform, else the JDK. */
    public static SslProvider provider() {
        try {
            return io.netty.handler.ssl.OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        } catch (Throwable missing) {
            return SslProvider.JDK; // tcnative classes absent (optional import)
        }
    }

    private SslContext build() throws SSLException {
        SslContextBuilder b = SslContextBuilder
                .forServer(new File(options.certfile()), new File(options.keyfile()), options.password())
                .sslProvider(provider())
                .protocols(options.jdkProtocols());
        if (!options.ciphers().isEmpty()) {
            b.ciphers(options.ciphers());
        }
        if (options.cacertfile() != null) {
            b.trustManager(new File(options.cacertfile()));
        }
        if (options.verifyPeer()) {
            b.clientAuth(options.failIfNoPeerCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        return b.build();
    }
}
