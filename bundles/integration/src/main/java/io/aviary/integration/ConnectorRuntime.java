package io.aviary.integration;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.Health;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connector at run time: its configuration, the plugin's {@link Connector} while it runs,
 * and its health, checked every health_check_interval (and at once after it opens or a send
 * fails). A check that does not answer within {@link #CHECK_TIMEOUT_MS} counts as disconnected.
 * Health changes are logged once each and reported to the runtime, which resumes the actions.
 */
final class ConnectorRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);
    static final long CHECK_TIMEOUT_MS = 5_000;

    final String tenant;
    final String id;
    final String type;
    volatile Resource config;
    private final ScheduledExecutorService exec;
    private final Consumer<ConnectorRuntime> healthChanged;
    private volatile Connector connector;
    private volatile Health health = Health.connecting("starting");
    /** Stopped by the operator (POST .../stop); stays stopped until started. */
    volatile boolean stopped;
    private ScheduledFuture<?> checks;
    private final AtomicBoolean checking = new AtomicBoolean();

    ConnectorRuntime(String tenant, Resource config, ScheduledExecutorService exec,
            Consumer<ConnectorRuntime> healthChanged) {
        this.tenant = tenant;
        this.id = config.id();
        this.type = config.type();
        this.config = config;
        this.exec = exec;
        this.healthChanged = healthChanged;
    }

    Connector connector() {
        return connector;
    }

    Health health() {
        return health;
    }

    /** EMQX's status word: connected, connecting, disconnected, or stopped (disabled or stopped). */
    String status() {
        if (!config.enable() || stopped) {
            return "stopped";
        }
        return health.status().apiName();
    }

    synchronized void opened(Connector c) {
        connector = c;
        setHealth(Health.connecting("started, first health check pending"));
        ResourceOpts opts = config.opts();
        checks = exec.scheduleWithFixedDelay(this::check, 0, opts.healthCheckMs(), TimeUnit.MILLISECONDS);
        LOG.info("integration: tenant={} connector={} started", tenant, id);
    }

    /** Closes the connection (stop, change, delete, plugin gone); {@code why} becomes its status_reason. */
    synchronized void closed(String why) {
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
        Connector c = connector;
        connector = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("integration: tenant={} connector={} close failed: {}", tenant, id, e.toString());
            }
            LOG.info("integration: tenant={} connector={} stopped ({})", tenant, id, why);
        }
        setHealth(Health.disconnected(why));
    }

    /** Waiting for the plugin that provides the type. */
    void waiting(String why) {
        setHealth(Health.connecting(why));
    }

    /** Checks now unless a check is running. */
    void check() {
        Connector c = connector;
        if (c == null || !checking.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Health> f;
        try {
            f = c.check().toCompletableFuture();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.orTimeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((h, err) -> {
            checking.set(false);
            if (connector != c) {
                return; // closed meanwhile
            }
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                h = Health.disconnected(cause instanceof java.util.concurrent.TimeoutException
                        ? "health check timed out after " + CHECK_TIMEOUT_MS + " ms"
                        : Objects.requireNonNullElse(cause.getMessage(), cause.toString()));
            }
            setHealth(h);
        });
    }

    /** A send's result says something about the connection: success means connected; a failure checks now. */
    void sendResult(boolean ok) {
        if (connector == null) {
            return;
        }
        if (ok) {
            if (health.status() != Health.Status.CONNECTED) {
                setHealth(Health.connected());
            }
        } else if (health.status() == Health.Status.CONNECTED) {
            exec.execute(this::check);
        }
    }

    private void setHealth(Health h) {
        Health old = health;
        health = h;
        if (old.status() != h.status() || !Objects.equals(old.error(), h.error())) {
            if (h.status() == Health.Status.CONNECTED) {
                LOG.info("integration: tenant={} connector={} connected", tenant, id);
            } else {
                LOG.warn("integration: tenant={} connector={} {}: {}", tenant, id, h.status().apiName(), h.error());
            }
            healthChanged.accept(this);
        }
    }

    /** The resource as the API shows it. */
    Map<String, Object> view() {
        Map<String, Object> v = config.view();
        v.put("status", status());
        Health h = health;
        if (h.error() != null && !"stopped".equals(status()) || h.error() != null && stopped) {
            v.put("status_reason", h.error());
        }
        return v;
    }
}
