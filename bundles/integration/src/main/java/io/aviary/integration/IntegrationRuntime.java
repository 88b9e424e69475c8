package io.aviary.integration;

import io.aviary.api.alarm.Alarms;
import io.aviary.api.broker.Broker;
import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.ConnectorType;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Integrations;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.Source;
import io.aviary.api.metrics.MetricsSource;
import io.aviary.api.plugin.ConfigSchemas;
import io.aviary.api.plugin.PluginManager;
import io.aviary.api.plugin.PluginStatus;
import io.aviary.api.rules.Rules;
import io.aviary.api.rules.Templates;
import io.aviary.store.DurableStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Integrations} service: every tenant's connectors, actions and sources, kept in
 * {@link IntegrationFile}, run by {@link ConnectorRuntime}, {@link ActionRuntime} and
 * {@link SourceRuntime}. Changes are serialized by this object's lock; the rule engine's
 * {@link #dispatch} takes no lock of it (two map lookups, then the action's buffer).
 *
 * <p>Connector types come from plugins as {@link ConnectorType} services, one per (type, tenant).
 * When a tenant creates a connector of a type no service of its serves, the plugin that declares
 * the type is enabled for the tenant through the {@link PluginManager}, and the call waits (bounded)
 * for its service. After a restart, connectors wait for their plugin's service without blocking.
 */
public final class IntegrationRuntime implements Integrations {

    private static final Logger LOG = LoggerFactory.getLogger(IntegrationRuntime.class);

    /** Where a runtime's outside world comes from (DS binds these dynamically). */
    public record Outside(Supplier<PluginManager> plugins, Supplier<ConfigSchemas> schemas, Supplier<Rules> rules,
            Supplier<Broker> broker, Supplier<Templates> templates, Supplier<Alarms> alarms) {}

    /** One tenant's resources, in creation order. */
    private static final class TenantState {
        final Map<String, ConnectorRuntime> connectors = new LinkedHashMap<>();
        final Map<String, ActionRuntime> actions = new LinkedHashMap<>();
        final Map<String, SourceRuntime> sources = new LinkedHashMap<>();

        boolean isEmpty() {
            return connectors.isEmpty() && actions.isEmpty() && sources.isEmpty();
        }
    }

    private final IntegrationFile file;
    private final DurableStore store;
    private final ScheduledExecutorService exec;
    private final Outside outside;
    private final long typeWaitMs;
    private final Map<String, TenantState> tenants = new LinkedHashMap<>();
    /** tenant -> action id -> action, for dispatch without this object's lock. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ActionRuntime>> dispatchable =
            new ConcurrentHashMap<>();
    /** "type\0tenant" -> the plugin's service. */
    private final ConcurrentHashMap<String, ConnectorType> types = new ConcurrentHashMap<>();
    private final Object typesChanged = new Object();

    public IntegrationRuntime(IntegrationFile file, DurableStore store, ScheduledExecutorService exec, Outside outside,
            long typeWaitMs) {
        this.file = file;
        this.store = store;
        this.exec = exec;
        this.outside = outside;
        this.typeWaitMs = typeWaitMs;
    }

    // ---- start and stop

    /** Loads the stored resources and starts what it can (connectors whose plugin runs). */
    public synchronized void load() {
        int records = 0;
        List<IntegrationFile.Entry> entries = file.load();
        for (IntegrationFile.Entry e : entries) {
            TenantState t = tenant(e.tenant());
            Resource r = e.resource();
            switch (r.kind()) {
                case CONNECTOR -> t.connectors.put(r.id(), newConnector(e.tenant(), r));
                case ACTION -> {
                    ActionRuntime a = newAction(e.tenant(), r);
                    records += a.load();
                    t.actions.put(r.id(), a);
                    actionsOf(e.tenant()).put(r.id(), a);
                }
                case SOURCE -> t.sources.put(r.id(), new SourceRuntime(e.tenant(), r, outside.rules(), outside.broker()));
            }
        }
        tenants.forEach((tenant, t) -> t.connectors.values().forEach(this::open));
        LOG.info("integration: {} connector(s), action(s) and source(s) restored from {}, {} buffered record(s)",
                entries.size(), file.file(), records);
    }

    /** Stops everything; buffered records stay on disk. */
    public synchronized void stop() {
        tenants.values().forEach(t -> t.connectors.values().forEach(c -> close(c, "the runtime stopped")));
        tenants.values().forEach(t -> t.actions.values().forEach(ActionRuntime::close));
    }

    // ---- connector types (the plugins' services)

    public void typeAdded(ConnectorType type, String tenant) {
        types.put(type.type() + "\u0000" + tenant, type);
        synchronized (typesChanged) {
            typesChanged.notifyAll();
        }
        LOG.info("integration: tenant={} connector type {} available", tenant, type.type());
        exec.execute(() -> reopen(tenant, type.type()));
    }

    public void typeRemoved(ConnectorType type, String tenant) {
        if (!types.remove(type.type() + "\u0000" + tenant, type)) {
            return;
        }
        LOG.info("integration: tenant={} connector type {} gone", tenant, type.type());
        synchronized (this) {
            TenantState t = tenants.get(tenant);
            if (t != null) {
                for (ConnectorRuntime c : t.connectors.values()) {
                    if (c.type.equals(type.type()) && c.connector() != null) {
                        close(c, "the plugin providing type '" + type.type() + "' stopped");
                        c.waiting("waiting for the plugin providing type '" + type.type() + "'");
                    }
                }
            }
        }
    }

    private synchronized void reopen(String tenant, String type) {
        TenantState t = tenants.get(tenant);
        if (t == null) {
            return;
        }
        for (ConnectorRuntime c : t.connectors.values()) {
            if (c.type.equals(type) && c.connector() == null) {
                open(c);
            }
        }
    }

    /** The tenant's service of the type, enabling the plugin that provides it first when needed. */
    private ConnectorType ensureType(String tenant, String type) {
        ConnectorType t = types.get(type + "\u0000" + tenant);
        if (t != null) {
            return t;
        }
        PluginManager pm = outside.plugins().get();
        if (pm == null) {
            throw new IllegalStateException("the plugin manager is not running: cannot enable the plugin for type '"
                    + type + "'");
        }
        PluginStatus plugin = pm.plugins().stream()
                .filter(p -> p.descriptor() != null && p.descriptor().integrationTypes().contains(type))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("field 'type': no installed plugin provides the"
                        + " connector type '" + type + "'; known types: " + knownTypes()));
        String pluginId = plugin.descriptor().id();
        boolean enabled = pm.instances(tenant).stream().anyMatch(i -> i.pluginId().equals(pluginId));
        if (!enabled) {
            pm.createInstance(pluginId, tenant, Map.of());
            LOG.info("integration: tenant={} plugin {} enabled for connector type {}", tenant, pluginId, type);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(typeWaitMs);
        synchronized (typesChanged) {
            while ((t = types.get(type + "\u0000" + tenant)) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("plugin '" + pluginId + "' is enabled for the tenant but did not"
                            + " provide connector type '" + type + "' within " + typeWaitMs + " ms (see GET /plugins/"
                            + pluginId + ")");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(typesChanged, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for plugin '" + pluginId + "'");
                }
            }
        }
        return t;
    }

    private String knownTypes() {
        return String.join(", ", types(Kind.CONNECTOR));
    }

    // ---- the Integrations service: reading

    @Override
    public synchronized List<Map<String, Object>> list(String tenant, Kind kind) {
        TenantState t = tenants.get(tenant);
        if (t == null) {
            return List.of();
        }
        return switch (kind) {
            case CONNECTOR -> t.connectors.values().stream().map(c -> connectorView(t, c)).toList();
            case ACTION -> t.actions.values().stream().map(a -> actionView(t, a)).toList();
            case SOURCE -> t.sources.values().stream().map(s -> sourceView(t, s)).toList();
        };
    }

    @Override
    public synchronized Optional<Map<String, Object>> get(String tenant, Kind kind, String id) {
        TenantState t = tenants.get(tenant);
        if (t == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (kind) {
            case CONNECTOR -> t.connectors.containsKey(id) ? connectorView(t, t.connectors.get(id)) : null;
            case ACTION -> t.actions.containsKey(id) ? actionView(t, t.actions.get(id)) : null;
            case SOURCE -> t.sources.containsKey(id) ? sourceView(t, t.sources.get(id)) : null;
        });
    }

    private Map<String, Object> connectorView(TenantState t, ConnectorRuntime c) {
        Map<String, Object> v = c.view();
        List<String> actions = new ArrayList<>();
        t.actions.values().forEach(a -> {
            if (a.config.connectorId().equals(c.id)) {
                actions.add(a.id);
            }
        });
        List<String> sources = new ArrayList<>();
        t.sources.values().forEach(s -> {
            if (s.config.connectorId().equals(c.id)) {
                sources.add(s.id);
            }
        });
        v.put("actions", actions);
        v.put("sources", sources);
        return v;
    }

    private Map<String, Object> actionView(TenantState t, ActionRuntime a) {
        Map<String, Object> v = a.config.view();
        ConnectorRuntime c = t.connectors.get(a.config.connectorId());
        String status;
        String reason = null;
        if (!a.enabled()) {
            status = "stopped";
        } else if (c == null) {
            status = "disconnected";
            reason = "connector '" + a.config.connectorId() + "' does not exist";
        } else if (a.sink() == null && a.sinkError() != null && c.connector() != null) {
            status = "disconnected";
            reason = a.sinkError();
        } else {
            status = c.status();
            reason = c.health().error();
        }
        v.put("status", status);
        if (reason != null && !"connected".equals(status)) {
            v.put("status_reason", reason);
        }
        return v;
    }

    private Map<String, Object> sourceView(TenantState t, SourceRuntime s) {
        Map<String, Object> v = s.config.view();
        ConnectorRuntime c = t.connectors.get(s.config.connectorId());
        Health h = s.config.enable() ? s.health(c == null ? Health.disconnected("connector '" + s.config.connectorId()
                + "' does not exist") : c.health()) : null;
        v.put("status", h == null ? "stopped" : h.status().apiName());
        if (h != null && h.error() != null && h.status() != Health.Status.CONNECTED) {
            v.put("status_reason", h.error());
        }
        return v;
    }

    // ---- changes

    @Override
    public Map<String, Object> create(String tenant, Kind kind, Map<String, Object> body) {
        Resource r = Resource.parse(kind, body, null, System.currentTimeMillis());
        ConnectorType type = ensureType(tenant, r.type()); // may wait for a plugin: before the lock
        synchronized (this) {
            TenantState t = tenant(tenant);
            if (exists(t, kind, r.id())) {
                throw new IllegalStateException(singular(kind) + " '" + r.id() + "' already exists");
            }
            validate(type, r);
            switch (kind) {
                case CONNECTOR -> {
                    ConnectorRuntime c = newConnector(tenant, r);
                    t.connectors.put(r.id(), c);
                    saveOrUndo(() -> t.connectors.remove(r.id()));
                    open(c);
                }
                case ACTION -> {
                    ConnectorRuntime c = connectorOf(t, r);
                    Sink sink = openSink(c, r); // a template the plugin refuses is a 400, before anything is kept
                    ActionRuntime a = newAction(tenant, r);
                    a.load();
                    t.actions.put(r.id(), a);
                    saveOrUndo(() -> t.actions.remove(r.id()));
                    a.enabled(r.enable());
                    a.sink(sink, sink == null ? c.health().error() : null);
                    actionsOf(tenant).put(r.id(), a);
                }
                case SOURCE -> {
                    ConnectorRuntime c = connectorOf(t, r);
                    SourceRuntime s = new SourceRuntime(tenant, r, outside.rules(), outside.broker());
                    t.sources.put(r.id(), s);
                    saveOrUndo(() -> t.sources.remove(r.id()));
                    startSource(c, s, true);
                }
            }
            LOG.info("integration: tenant={} {}={} created", tenant, singular(kind), r.id());
            return get(tenant, kind, r.id()).orElseThrow();
        }
    }

    @Override
    public Optional<Map<String, Object>> update(String tenant, Kind kind, String id, Map<String, Object> body) {
        Resource.splitId(id);
        synchronized (this) {
            TenantState t = tenants.get(tenant);
            if (t == null || !exists(t, kind, id)) {
                return Optional.empty();
            }
        }
        Resource r = Resource.parse(kind, body, id, 0);
        ConnectorType type = ensureType(tenant, r.type());
        synchronized (this) {
            TenantState t = tenants.get(tenant);
            if (t == null || !exists(t, kind, id)) {
                return Optional.empty();
            }
            validate(type, r);
            switch (kind) {
                case CONNECTOR -> {
                    ConnectorRuntime c = t.connectors.get(id);
                    Resource old = c.config;
                    c.config = new Resource(kind, r.type(), r.name(), r.raw(), r.opts(), r.enable(), old.createdAt());
                    saveOrUndo(() -> c.config = old);
                    close(c, "reconfiguring");
                    open(c);
                }
                case ACTION -> {
                    ActionRuntime a = t.actions.get(id);
                    ConnectorRuntime c = connectorOf(t, r);
                    Sink sink = openSink(c, r);
                    Resource old = a.config;
                    a.config = new Resource(kind, r.type(), r.name(), r.raw(), r.opts(), r.enable(), old.createdAt());
                    saveOrUndo(() -> a.config = old);
                    a.opts(r.opts());
                    a.enabled(r.enable());
                    a.sink(sink, sink == null ? c.health().error() : null);
                }
                case SOURCE -> {
                    SourceRuntime s = t.sources.get(id);
                    ConnectorRuntime c = connectorOf(t, r);
                    Resource old = s.config;
                    s.config = new Resource(kind, r.type(), r.name(), r.raw(), r.opts(), r.enable(), old.createdAt());
                    saveOrUndo(() -> s.config = old);
                    s.close();
                    startSource(c, s, false);
                }
            }
            LOG.info("integration: tenant={} {}={} updated", tenant, singular(kind), id);
            return get(tenant, kind, id);
        }
    }

    @Override
    public synchronized boolean delete(String tenant, Kind kind, String id) {
        TenantState t = tenants.get(tenant);
        if (t == null || !exists(t, kind, id)) {
            return false;
        }
        switch (kind) {
            case CONNECTOR -> {
                List<String> users = new ArrayList<>();
                t.actions.values().forEach(a -> {
                    if (a.config.connectorId().equals(id)) {
                        users.add(a.id);
                    }
                });
                t.sources.values().forEach(s -> {
                    if (s.config.connectorId().equals(id)) {
                        users.add(s.id);
                    }
                });
                if (!users.isEmpty()) {
                    throw new InUseException("Cannot delete connector while there are active channels defined for"
                            + " this connector: " + String.join(", ", users), users);
                }
                ConnectorRuntime c = t.connectors.remove(id);
                save();
                close(c, "deleted");
            }
            case ACTION -> {
                ActionRuntime a = t.actions.remove(id);
                actionsOf(tenant).remove(id);
                save();
                a.destroy();
            }
            case SOURCE -> {
                SourceRuntime s = t.sources.remove(id);
                save();
                s.close();
            }
        }
        if (t.isEmpty()) {
            tenants.remove(tenant);
        }
        LOG.info("integration: tenant={} {}={} deleted", tenant, singular(kind), id);
        return true;
    }

    @Override
    public synchronized boolean operate(String tenant, Kind kind, String id, String operation) {
        if (!List.of("start", "stop", "restart").contains(operation)) {
            throw new IllegalArgumentException("field 'operation' must be start, stop or restart, was '" + operation + "'");
        }
        TenantState t = tenants.get(tenant);
        if (t == null || !exists(t, kind, id)) {
            return false;
        }
        switch (kind) {
            case CONNECTOR -> {
                ConnectorRuntime c = t.connectors.get(id);
                if (!operation.equals("start")) {
                    c.stopped = true;
                    close(c, "stopped");
                }
                if (!operation.equals("stop")) {
                    c.stopped = false;
                    close(c, "restarting");
                    open(c);
                }
            }
            case ACTION -> {
                ActionRuntime a = t.actions.get(id);
                ConnectorRuntime c = t.connectors.get(a.config.connectorId());
                if (operation.equals("stop")) {
                    a.sink(null, "stopped");
                } else if (c != null) {
                    attachSink(c, a);
                }
            }
            case SOURCE -> {
                SourceRuntime s = t.sources.get(id);
                s.close();
                if (!operation.equals("stop")) {
                    startSource(t.connectors.get(s.config.connectorId()), s, false);
                }
            }
        }
        LOG.info("integration: tenant={} {}={} {}", tenant, singular(kind), id, operation);
        return true;
    }

    @Override
    public synchronized boolean enable(String tenant, Kind kind, String id, boolean on) {
        TenantState t = tenants.get(tenant);
        if (t == null || !exists(t, kind, id)) {
            return false;
        }
        switch (kind) {
            case CONNECTOR -> {
                ConnectorRuntime c = t.connectors.get(id);
                Resource old = c.config;
                c.config = old.withEnable(on);
                saveOrUndo(() -> c.config = old);
                close(c, on ? "restarting" : "disabled");
                if (on) {
                    open(c);
                }
            }
            case ACTION -> {
                ActionRuntime a = t.actions.get(id);
                Resource old = a.config;
                a.config = old.withEnable(on);
                saveOrUndo(() -> a.config = old);
                a.enabled(on);
            }
            case SOURCE -> {
                SourceRuntime s = t.sources.get(id);
                Resource old = s.config;
                s.config = old.withEnable(on);
                saveOrUndo(() -> s.config = old);
                s.close();
                if (on) {
                    startSource(t.connectors.get(s.config.connectorId()), s, false);
                }
            }
        }
        LOG.info("integration: tenant={} {}={} {}", tenant, singular(kind), id, on ? "enabled" : "disabled");
        return true;
    }

    @Override
    public Health probe(String tenant, Kind kind, Map<String, Object> body) {
        Map<String, Object> b = new LinkedHashMap<>(body);
        b.putIfAbsent("name", "probe");
        Resource r = Resource.parse(kind, b, null, System.currentTimeMillis());
        ConnectorType type = ensureType(tenant, r.type());
        validate(type, r);
        if (kind == Kind.CONNECTOR) {
            Connector c = type.open(new Context(tenant, r.id()), r.fields());
            try {
                return checkOnce(c);
            } finally {
                c.close();
            }
        }
        ConnectorRuntime c;
        synchronized (this) {
            c = connectorOf(tenant(tenant), r);
        }
        Connector open = c.connector();
        if (open == null) {
            return Health.disconnected("connector '" + c.id + "' is not running: " + c.health().error());
        }
        if (kind == Kind.ACTION) {
            open.sink(r.id(), r.parameters()).close();
        }
        return checkOnce(open);
    }

    private static Health checkOnce(Connector c) {
        try {
            return c.check().toCompletableFuture()
                    .get(ConnectorRuntime.CHECK_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return Health.disconnected("health check timed out after " + ConnectorRuntime.CHECK_TIMEOUT_MS + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Health.disconnected(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.disconnected("interrupted");
        }
    }

    @Override
    public synchronized Optional<Map<String, Object>> metrics(String tenant, Kind kind, String id) {
        TenantState t = tenants.get(tenant);
        if (t == null) {
            return Optional.empty();
        }
        return switch (kind) {
            case ACTION -> Optional.ofNullable(t.actions.get(id)).map(ActionRuntime::metricsSnapshot);
            case SOURCE -> Optional.ofNullable(t.sources.get(id)).map(s -> s.metrics.snapshot(0, 0, 0));
            case CONNECTOR -> Optional.empty();
        };
    }

    @Override
    public synchronized boolean resetMetrics(String tenant, Kind kind, String id) {
        TenantState t = tenants.get(tenant);
        if (t == null) {
            return false;
        }
        ActionMetrics m = switch (kind) {
            case ACTION -> t.actions.containsKey(id) ? t.actions.get(id).metrics : null;
            case SOURCE -> t.sources.containsKey(id) ? t.sources.get(id).metrics : null;
            case CONNECTOR -> null;
        };
        if (m != null) {
            m.reset();
        }
        return m != null;
    }

    @Override
    public List<String> types(Kind kind) {
        TreeSet<String> out = new TreeSet<>();
        PluginManager pm = outside.plugins().get();
        if (pm != null) {
            pm.plugins().forEach(p -> {
                if (p.descriptor() != null) {
                    out.addAll(p.descriptor().integrationTypes());
                }
            });
        }
        types.keySet().forEach(k -> out.add(k.substring(0, k.indexOf('\u0000'))));
        return List.copyOf(out);
    }

    @Override
    public synchronized int deleteAll(String tenant) {
        TenantState t = tenants.remove(tenant);
        dispatchable.remove(tenant);
        if (t == null) {
            return 0;
        }
        save();
        t.sources.values().forEach(SourceRuntime::close);
        t.actions.values().forEach(ActionRuntime::destroy);
        t.connectors.values().forEach(c -> close(c, "tenant deleted"));
        int n = t.connectors.size() + t.actions.size() + t.sources.size();
        LOG.info("integration: tenant={} {} connector(s), action(s) and source(s) deleted with the tenant", tenant, n);
        return n;
    }

    @Override
    public void dispatch(String tenant, String actionId, String ruleId, Map<String, Object> output) {
        ConcurrentHashMap<String, ActionRuntime> actions = dispatchable.get(tenant);
        ActionRuntime a = actions == null ? null : actions.get(actionId);
        if (a == null) {
            throw new IllegalStateException("action '" + actionId + "' does not exist");
        }
        if (!a.enabled()) {
            a.metrics.droppedStopped.increment();
            throw new IllegalStateException("action '" + actionId + "' is disabled");
        }
        a.offer(output);
    }

    /** Every action's and source's counters, for Prometheus. */
    public List<MetricsSource.Counter> counters() {
        List<MetricsSource.Counter> out = new ArrayList<>();
        synchronized (this) {
            tenants.forEach((tenant, t) -> {
                t.actions.values().forEach(a -> a.metrics.prometheus(tenant, "action", a.id, a.queuing(),
                        a.inflightRecords(), out));
                t.sources.values().forEach(s -> s.metrics.prometheus(tenant, "source", s.id, 0, 0, out));
            });
        }
        return out;
    }

    // ---- helpers (under the lock)

    private TenantState tenant(String tenant) {
        return tenants.computeIfAbsent(tenant, k -> new TenantState());
    }

    private ConcurrentHashMap<String, ActionRuntime> actionsOf(String tenant) {
        return dispatchable.computeIfAbsent(tenant, k -> new ConcurrentHashMap<>());
    }

    private static boolean exists(TenantState t, Kind kind, String id) {
        return switch (kind) {
            case CONNECTOR -> t.connectors.containsKey(id);
            case ACTION -> t.actions.containsKey(id);
            case SOURCE -> t.sources.containsKey(id);
        };
    }

    static String singular(Kind kind) {
        return kind.plural().substring(0, kind.plural().length() - 1);
    }

    private static ConnectorRuntime connectorOf(TenantState t, Resource r) {
        ConnectorRuntime c = t.connectors.get(r.connectorId());
        if (c == null) {
            throw new IllegalArgumentException("field 'connector': the tenant has no connector '" + r.connectorId() + "'");
        }
        return c;
    }

    /** The type's JSON Schemas: a connector's own fields, an action's or source's parameters. */
    private void validate(ConnectorType type, Resource r) {
        String schema = switch (r.kind()) {
            case CONNECTOR -> type.connectorSchema();
            case ACTION -> type.actionSchema();
            case SOURCE -> type.sourceSchema();
        };
        if (schema == null) {
            throw new IllegalArgumentException("field 'type': connector type '" + r.type() + "' has no "
                    + r.kind().plural());
        }
        ConfigSchemas schemas = outside.schemas().get();
        if (schemas == null) {
            LOG.warn("integration: no JSON Schema validator (plugin manager) running; {} {} not validated",
                    singular(r.kind()), r.id());
            return;
        }
        if (r.kind() == Kind.CONNECTOR) {
            schemas.check(schema, r.fields(), "");
        } else {
            schemas.check(schema, r.parameters(), "parameters");
        }
    }

    private void saveOrUndo(Runnable undo) {
        try {
            save();
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    private void save() {
        List<IntegrationFile.Entry> all = new ArrayList<>();
        tenants.forEach((tenant, t) -> {
            t.connectors.values().forEach(c -> all.add(new IntegrationFile.Entry(tenant, c.config)));
            t.actions.values().forEach(a -> all.add(new IntegrationFile.Entry(tenant, a.config)));
            t.sources.values().forEach(s -> all.add(new IntegrationFile.Entry(tenant, s.config)));
        });
        file.save(all);
    }

    private ConnectorRuntime newConnector(String tenant, Resource r) {
        return new ConnectorRuntime(tenant, r, exec, this::healthChanged);
    }

    private ActionRuntime newAction(String tenant, Resource r) {
        ActionBuffer buffer = new ActionBuffer(store, tenant, r.id(), r.opts().maxBufferBytes());
        ActionRuntime a = new ActionRuntime(tenant, r.id(), r.opts(), buffer, exec, new ActionHost(tenant, r.connectorId()));
        a.config = r;
        a.enabled(r.enable());
        return a;
    }

    /** Opens a connector (if enabled and its plugin's service is there), then its actions' sinks and its sources. */
    private void open(ConnectorRuntime c) {
        if (!c.config.enable() || c.stopped) {
            c.closed(c.stopped ? "stopped" : "disabled");
            return;
        }
        ConnectorType type = types.get(c.type + "\u0000" + c.tenant);
        if (type == null) {
            c.waiting("waiting for the plugin providing type '" + c.type + "'");
            exec.execute(() -> enableQuietly(c.tenant, c.type));
            return;
        }
        try {
            c.opened(type.open(new Context(c.tenant, c.id), c.config.fields()));
        } catch (RuntimeException e) {
            c.closed(e.getMessage() == null ? e.toString() : e.getMessage());
            LOG.warn("integration: tenant={} connector={} cannot start: {}", c.tenant, c.id, e.getMessage());
            return;
        }
        TenantState t = tenants.get(c.tenant);
        t.actions.values().forEach(a -> {
            if (a.config.connectorId().equals(c.id)) {
                attachSink(c, a);
            }
        });
        t.sources.values().forEach(s -> {
            if (s.config.connectorId().equals(c.id)) {
                startSource(c, s, false);
            }
        });
    }

    /** At start: a connector whose plugin has no instance for the tenant any more gets one (never throws). */
    private void enableQuietly(String tenant, String type) {
        try {
            ensureType(tenant, type);
        } catch (RuntimeException e) {
            LOG.warn("integration: tenant={} connector type {} unavailable: {}", tenant, type, e.getMessage());
        }
    }

    private void close(ConnectorRuntime c, String why) {
        TenantState t = tenants.get(c.tenant);
        if (t != null) {
            t.sources.values().forEach(s -> {
                if (s.config.connectorId().equals(c.id)) {
                    s.close();
                }
            });
            t.actions.values().forEach(a -> {
                if (a.config.connectorId().equals(c.id)) {
                    a.sink(null, why);
                }
            });
        }
        c.closed(why);
    }

    private Sink openSink(ConnectorRuntime c, Resource r) {
        Connector open = c.connector();
        return open == null ? null : open.sink(r.id(), r.parameters());
    }

    private void attachSink(ConnectorRuntime c, ActionRuntime a) {
        try {
            a.sink(openSink(c, a.config), c.connector() == null ? c.health().error() : null);
        } catch (RuntimeException e) {
            a.sink(null, e.getMessage());
            LOG.warn("integration: tenant={} action={} cannot start: {}", a.tenant, a.id, e.getMessage());
        }
    }

    /** Starts a source when it and its connector run; {@code strict} lets a refused parameter throw (create). */
    private void startSource(ConnectorRuntime c, SourceRuntime s, boolean strict) {
        if (c == null || !s.config.enable() || c.connector() == null) {
            return;
        }
        try {
            Source src = c.connector().source(s.id, s.config.parameters(), s);
            s.started(src);
        } catch (RuntimeException e) {
            if (strict) {
                throw e;
            }
            s.failed(e.getMessage());
            LOG.warn("integration: tenant={} source={} cannot start: {}", s.tenant, s.id, e.getMessage());
        }
    }

    private void healthChanged(ConnectorRuntime c) {
        if (c.health().status() != Health.Status.CONNECTED) {
            return;
        }
        ConcurrentHashMap<String, ActionRuntime> actions = dispatchable.get(c.tenant);
        if (actions != null) {
            actions.values().forEach(a -> {
                if (a.config.connectorId().equals(c.id)) {
                    a.pumpSoon();
                }
            });
        }
    }

    /** What an action asks of the runtime: its connector's health, and the alarm on overflow. */
    private final class ActionHost implements ActionRuntime.Host {
        private final String tenant;
        private final String connectorId;
        private volatile ConnectorRuntime connector;

        ActionHost(String tenant, String connectorId) {
            this.tenant = tenant;
            this.connectorId = connectorId;
        }

        private ConnectorRuntime connector() {
            ConnectorRuntime c = connector;
            if (c == null) {
                synchronized (IntegrationRuntime.this) {
                    TenantState t = tenants.get(tenant);
                    c = t == null ? null : t.connectors.get(connectorId);
                }
                connector = c;
            }
            return c;
        }

        @Override
        public Health connectorHealth() {
            ConnectorRuntime c = connector();
            return c == null ? Health.disconnected("no connector " + connectorId) : c.health();
        }

        @Override
        public void sendResult(boolean ok, String error) {
            ConnectorRuntime c = connector();
            if (c != null) {
                c.sendResult(ok);
            }
        }

        @Override
        public void bufferFull(ActionRuntime action, int dropped) {
            Alarms alarms = outside.alarms().get();
            String name = "integration_buffer_full/" + tenant + "/" + action.id;
            if (alarms != null && alarms.raise(name, "The buffer of action " + action.id + " of tenant " + tenant
                    + " is full (max_buffer_bytes " + action.opts().maxBufferBytes() + "): the oldest records are"
                    + " dropped", Map.of("tenant", tenant, "action", action.id))) {
                LOG.warn("integration: tenant={} action={} buffer full, dropping the oldest records", tenant, action.id);
                exec.schedule(() -> clearWhenDrained(name, action), 10, TimeUnit.SECONDS);
            }
        }

        private void clearWhenDrained(String name, ActionRuntime action) {
            if (action.queuing() == 0) {
                Alarms alarms = outside.alarms().get();
                if (alarms != null) {
                    alarms.clear(name);
                }
            } else {
                exec.schedule(() -> clearWhenDrained(name, action), 10, TimeUnit.SECONDS);
            }
        }
    }

    /** What a connector gets from the runtime. */
    private final class Context implements ConnectorContext {
        private final String tenant;
        private final String connectorId;

        Context(String tenant, String connectorId) {
            this.tenant = tenant;
            this.connectorId = connectorId;
        }

        @Override
        public String tenant() {
            return tenant;
        }

        @Override
        public String connectorId() {
            return connectorId;
        }

        @Override
        public Templates templates() {
            Templates t = outside.templates().get();
            if (t == null) {
                throw new IllegalStateException("the rule engine's templates are not available (rules bundle not running)");
            }
            return t;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return exec;
        }
    }
}
