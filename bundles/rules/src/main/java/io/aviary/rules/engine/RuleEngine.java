package io.aviary.rules.engine;

import io.aviary.api.broker.Broker;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.log.OncePerSecond;
import io.aviary.api.message.Message;
import io.aviary.api.metrics.MetricsSource;
import io.aviary.api.rules.RuleAction;
import io.aviary.api.rules.RuleDefinition;
import io.aviary.api.rules.RuleEvent;
import io.aviary.api.rules.RuleMetrics;
import io.aviary.api.rules.RuleSqlError;
import io.aviary.api.rules.RuleTestResult;
import io.aviary.api.rules.Rules;
import io.aviary.rules.CompiledRule;
import io.aviary.rules.MapRuleContext;
import io.aviary.rules.RuleEvalException;
import io.aviary.rules.RuleEvents;
import io.aviary.rules.RuleIndex;
import io.aviary.rules.RuleSql;
import io.aviary.rules.RuleSqlException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule engine at run time: every tenant's rules compiled and indexed, the {@link Rules}
 * service over them, and what the broker's events do. On the broker's thread a message or
 * event costs one index lookup in its tenant's {@link RuleIndex} and, only when some rule
 * matches, its columns (one payload copy) and a hand-over to a {@link RuleWorkers} lane; the
 * rules' evaluation and actions run there. A full lane counts the rules failed ("overloaded");
 * a message that republishes feed back into rules carries its depth, and past
 * {@link #MAX_DEPTH} the rule counts failed ("loop") instead of running.
 */
public final class RuleEngine implements Rules {

    private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);
    /** Republish hops a message may go through rules; the message of the 3rd hop triggers no rule. */
    public static final int MAX_DEPTH = 3;
    private static final int MAX_ID_LENGTH = 128;
    /** 64 MB of queued payloads at most: a flood of large messages cannot grow the heap through the rules. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 64L << 20;
    private static final SecureRandom IDS = new SecureRandom();

    /** A rule as it runs: its definition, compiled SQL, prepared actions and counters. */
    static final class Running {
        final RuleDefinition def;
        final CompiledRule compiled;
        final List<Action> actions;
        final RuleCounters counters;

        Running(RuleDefinition def, CompiledRule compiled, List<Action> actions) {
            this.def = new RuleDefinition(def.id(), def.tenant(), def.sql(), def.actions(), def.enable(),
                    def.description(), def.createdAt(), compiled.from());
            this.compiled = compiled;
            this.actions = actions;
            List<String> functions = new ArrayList<>();
            actions.forEach(a -> functions.add(a.function()));
            this.counters = new RuleCounters(functions);
        }
    }

    /** One tenant's rules: all of them by id, the enabled ones indexed. */
    private static final class TenantRules {
        final Map<String, Running> byId = new LinkedHashMap<>();
        final RuleIndex<Running> index = new RuleIndex<>();
    }

    private final RuleStore store;
    private final EventColumns columns;
    private final RuleWorkers workers;
    private final Supplier<Broker> broker;
    /** Where rule actions are metered per tenant (the broker's tenant registry), when it runs. */
    private volatile Supplier<io.aviary.api.tenant.Tenants> usageMeter = () -> null;
    private volatile Supplier<io.aviary.api.integration.Integrations> integrations = () -> null;
    private final Consumer<Boolean> listening;
    private final Map<String, TenantRules> tenants = new ConcurrentHashMap<>();
    private final OncePerSecond overloadLog = new OncePerSecond();
    /** Payload bytes (plus a little per message) held by queued and running work, bounded by {@link #maxQueuedBytes}. */
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final long maxQueuedBytes;
    private final OncePerSecond loopLog = new OncePerSecond();
    private int enabled;

    /**
     * @param listening told true when the first enabled rule appears and false when the last goes,
     *     so the broker's event listener is registered only while some rule can use it
     */
    /** Sets where rule actions are metered per tenant (usage metering). */
    public void usageMeter(Supplier<io.aviary.api.tenant.Tenants> meter) {
        this.usageMeter = meter;
    }

    public RuleEngine(RuleStore store, String node, RuleWorkers workers, Supplier<Broker> broker,
            Consumer<Boolean> listening) {
        this(store, node, workers, broker, listening, DEFAULT_MAX_QUEUED_BYTES);
    }

    /** @param maxQueuedBytes the payload bytes queued work may hold before messages are refused ("overloaded") */
    public RuleEngine(RuleStore store, String node, RuleWorkers workers, Supplier<Broker> broker,
            Consumer<Boolean> listening, long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
        this.store = store;
        this.columns = new EventColumns(node);
        this.workers = workers;
        this.broker = broker;
        this.listening = listening;
    }

    /**
     * Loads the stored rules. A stored rule that no longer compiles is kept (listed, disabled in
     * effect) and logged, so an upgrade never loses a rule.
     *
     * @throws IllegalStateException when the file cannot be read
     */
    public synchronized void load() {
        int n = 0;
        for (RuleDefinition def : store.load()) {
            try {
                put(prepare(def, def.id()));
                n++;
            } catch (IllegalArgumentException bad) {
                LOG.error("rules: stored rule tenant={} rule={} does not compile and is skipped: {}", def.tenant(),
                        def.id(), bad.getMessage());
            }
        }
        LOG.info("rules: {} restored from {}", n, store.file());
        listening.accept(enabled > 0);
    }

    /** Where actions named by a data integration id ("http:a1") go. */
    public void integrations(Supplier<io.aviary.api.integration.Integrations> source) {
        this.integrations = source;
    }

    public void stop() {
        workers.stop(2000);
    }

    // ---- the broker's events (I/O threads): look up, copy, hand over

    void onPublish(ClientInfo publisher, Message m) {
        TenantRules t = tenants.get(m.tenant());
        if (t == null || m.topic().startsWith("$SYS/")) {
            return;
        }
        List<Running> rules = t.index.matchTopic(m.topic());
        if (rules.isEmpty()) {
            return;
        }
        String key = publisher != null ? publisher.clientId() : m.publisher();
        dispatch(m.tenant(), key, rules, m.payload().remaining(), () -> columns.publish(publisher, m));
    }

    /**
     * An event of a tenant: the columns are built only when some rule selects it.
     *
     * @param payloadBytes the size of the payload the columns will copy (0 for client events)
     */
    void onEvent(String tenant, String event, String clientId, int payloadBytes,
            Supplier<Map<String, Object>> eventColumns) {
        TenantRules t = tenants.get(tenant);
        if (t == null) {
            return;
        }
        List<Running> rules = t.index.matchEvent(event);
        if (!rules.isEmpty()) {
            dispatch(tenant, clientId, rules, payloadBytes, eventColumns);
        }
    }

    EventColumns columns() {
        return columns;
    }

    /**
     * Hands the work to a lane, within both bounds: the lane's queue (messages) and the payload
     * bytes all queued work holds, reserved before the payload is copied so a flood of large
     * messages is refused without being copied.
     */
    private boolean dispatch(String tenant, String clientId, List<Running> rules, long payloadBytes,
            Supplier<Map<String, Object>> columnsOf) {
        int depth = RuleWorkers.currentDepth();
        int lane = tenant.hashCode() * 31 + (clientId == null ? 0 : clientId.hashCode());
        long weight = payloadBytes + 512; // the columns' own size, roughly
        boolean queued = false;
        if (queuedBytes.addAndGet(weight) <= maxQueuedBytes) {
            Map<String, Object> cols = columnsOf.get();
            queued = workers.submit(lane, () -> {
                try {
                    run(tenant, rules, cols, depth);
                } finally {
                    queuedBytes.addAndGet(-weight);
                }
            });
        }
        if (!queued) {
            queuedBytes.addAndGet(-weight);
            for (Running r : rules) {
                r.counters.matched.increment();
                r.counters.failed("overloaded"); // the reason first: whoever sees the count sees why
                r.counters.failedOverloaded.increment();
            }
            long n = overloadLog.count();
            if (n > 0) {
                LOG.warn("rules: overloaded, {} message(s) not run through their rules since the last notice"
                        + " (last: tenant={} client={} rules={})", n, tenant, clientId, rules.size());
            }
        }
        return queued;
    }

    /** The tenant "acme"'s matching rules evaluated on the calling thread (RuntimeBenchmark's comparison only). */
    Object evaluateForBenchmark(Map<String, Object> cols) {
        MapRuleContext ctx = new MapRuleContext(cols);
        Object last = null;
        for (Running r : tenants.get("acme").index.matchTopic((String) cols.get("topic"))) {
            last = r.compiled.apply(ctx);
        }
        return last;
    }

    // ---- a lane thread: evaluate and act

    private void run(String tenant, List<Running> rules, Map<String, Object> cols, int depth) {
        MapRuleContext ctx = new MapRuleContext(cols);
        for (Running r : rules) {
            r.counters.matched.increment();
            if (depth >= MAX_DEPTH) {
                r.counters.failed("loop: the message went through " + depth + " republishes");
                r.counters.failedLoop.increment();
                long n = loopLog.count();
                if (n > 0) {
                    LOG.warn("rules: republish loop stopped tenant={} rule={} topic={} ({} since the last notice)", tenant,
                            r.def.id(), cols.get("topic"), n);
                }
                continue;
            }
            List<Map<String, Object>> outputs;
            try {
                outputs = r.compiled.apply(ctx);
            } catch (RuntimeException e) {
                r.counters.failed(reason(e));
                r.counters.failedException.increment();
                LOG.debug("rules: tenant={} rule={} failed: {}", tenant, r.def.id(), reason(e));
                continue;
            }
            if (outputs.isEmpty()) {
                r.counters.failedNoResult.increment();
                continue;
            }
            r.counters.passed.increment();
            for (Map<String, Object> out : outputs) {
                act(tenant, r, out, cols, depth);
            }
        }
    }

    private void act(String tenant, Running r, Map<String, Object> output, Map<String, Object> cols, int depth) {
        io.aviary.api.tenant.Tenants meter = usageMeter.get();
        if (meter != null && !r.actions.isEmpty()) {
            meter.ruleActionsRun(tenant, r.actions.size()); // usage metering: every action run counts, as billed
        }
        Thread self = Thread.currentThread();
        RuleWorkers.LaneThread lane = self instanceof RuleWorkers.LaneThread l ? l : null;
        for (int i = 0; i < r.actions.size(); i++) {
            if (lane != null) {
                lane.depth = depth + 1; // what this action publishes re-enters the rules one level deeper
            }
            try {
                r.actions.get(i).run(tenant, r.def.id(), output, cols, broker.get());
                r.counters.actionSucceeded(i);
            } catch (RuntimeException e) {
                r.counters.actionFailed(i, reason(e));
                LOG.debug("rules: tenant={} rule={} action {} failed: {}", tenant, r.def.id(), i, reason(e));
            } finally {
                if (lane != null) {
                    lane.depth = 0;
                }
            }
        }
    }

    private static String reason(RuntimeException e) {
        if (e instanceof RuleEvalException) {
            return e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    // ---- the Rules service

    @Override
    public List<RuleDefinition> list(String tenant) {
        synchronized (this) {
            TenantRules t = tenants.get(tenant);
            if (t == null) {
                return List.of();
            }
            return t.byId.values().stream().map(r -> r.def).toList();
        }
    }

    @Override
    public Optional<RuleDefinition> get(String tenant, String id) {
        return running(tenant, id).map(r -> r.def);
    }

    private synchronized Optional<Running> running(String tenant, String id) {
        TenantRules t = tenants.get(tenant);
        return Optional.ofNullable(t == null ? null : t.byId.get(id));
    }

    @Override
    public synchronized RuleDefinition create(RuleDefinition rule) {
        String id = rule.id() == null ? newId(rule.tenant()) : rule.id();
        if (running(rule.tenant(), id).isPresent()) {
            throw new IllegalStateException("rule '" + id + "' already exists");
        }
        RuleDefinition def = new RuleDefinition(id, rule.tenant(), rule.sql(), rule.actions(), rule.enable(),
                rule.description(), System.currentTimeMillis());
        Running r = prepare(def, id);
        save(def, false);
        put(r);
        listening.accept(enabled > 0);
        LOG.info("rules: tenant={} rule={} created ({})", def.tenant(), id, def.enable() ? "enabled" : "disabled");
        return r.def;
    }

    @Override
    public synchronized Optional<RuleDefinition> update(RuleDefinition rule) {
        Optional<Running> old = running(rule.tenant(), rule.id());
        if (old.isEmpty()) {
            return Optional.empty();
        }
        RuleDefinition def = new RuleDefinition(rule.id(), rule.tenant(), rule.sql(), rule.actions(), rule.enable(),
                rule.description(), old.get().def.createdAt());
        Running r = prepare(def, rule.id());
        save(def, false);
        remove(old.get());
        put(r);
        listening.accept(enabled > 0);
        LOG.info("rules: tenant={} rule={} updated ({})", def.tenant(), def.id(), def.enable() ? "enabled" : "disabled");
        return Optional.of(r.def);
    }

    @Override
    public synchronized boolean delete(String tenant, String id) {
        Optional<Running> old = running(tenant, id);
        if (old.isEmpty()) {
            return false;
        }
        save(old.get().def, true);
        remove(old.get());
        listening.accept(enabled > 0);
        LOG.info("rules: tenant={} rule={} deleted", tenant, id);
        return true;
    }

    @Override
    public synchronized int deleteAll(String tenant) {
        TenantRules t = tenants.get(tenant);
        if (t == null || t.byId.isEmpty()) {
            return 0;
        }
        List<Running> gone = new ArrayList<>(t.byId.values());
        List<RuleDefinition> kept = new ArrayList<>();
        tenants.forEach((name, rules) -> {
            if (!name.equals(tenant)) {
                rules.byId.values().forEach(r -> kept.add(r.def));
            }
        });
        store.save(kept);
        gone.forEach(this::remove);
        tenants.remove(tenant);
        listening.accept(enabled > 0);
        LOG.info("rules: tenant={} {} rule(s) deleted with the tenant", tenant, gone.size());
        return gone.size();
    }

    @Override
    public Optional<RuleMetrics> metrics(String tenant, String id) {
        return running(tenant, id).map(r -> r.counters.snapshot());
    }

    @Override
    public boolean resetMetrics(String tenant, String id) {
        Optional<Running> r = running(tenant, id);
        r.ifPresent(x -> x.counters.reset());
        return r.isPresent();
    }

    @Override
    public RuleTestResult test(String sql, Map<String, Object> context) {
        return RuleTesting.sql(compile(sql), context);
    }

    @Override
    public Optional<RuleTestResult> test(String tenant, String id, Map<String, Object> context) {
        return running(tenant, id).map(r -> RuleTesting.stored(r.compiled, r.actions, context));
    }

    @Override
    public boolean ingest(String tenant, String sourceId, Map<String, Object> cols) {
        TenantRules t = tenants.get(tenant);
        if (t == null) {
            return true;
        }
        List<Running> rules = t.index.matchBridge(sourceId);
        if (rules.isEmpty()) {
            return true;
        }
        Object payload = cols.get("payload");
        int bytes = payload instanceof String p ? p.length() : 0;
        return dispatch(tenant, sourceId, rules, bytes, () -> cols);
    }

    @Override
    public List<RuleEvent> events() {
        return RuleEvents.all().stream().map(e -> new RuleEvent(e.event(), e.eventType(), e.topic(), e.title(),
                e.description(), e.sqlExample(), PlainValues.toPlainMap(e.columns()))).toList();
    }

    /** Every rule's counters for Prometheus (the metrics bundle reads them at each scrape). */
    public List<MetricsSource.Counter> counters() {
        List<Running> all = new ArrayList<>();
        synchronized (this) {
            tenants.values().forEach(t -> all.addAll(t.byId.values()));
        }
        List<MetricsSource.Counter> out = new ArrayList<>();
        for (Running r : all) {
            r.counters.prometheus(r.def.tenant(), r.def.id(), out);
        }
        return out;
    }

    // ---- changes

    private static CompiledRule compile(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("field 'sql' is required");
        }
        try {
            return RuleSql.compile(sql);
        } catch (RuleSqlException e) {
            throw new RuleSqlError(e.line(), e.column(), e.reason());
        }
    }

    private Running prepare(RuleDefinition def, String id) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/')) {
            throw new IllegalArgumentException("field 'id' must be 1 to " + MAX_ID_LENGTH
                    + " printable ASCII characters without spaces or '/'");
        }
        CompiledRule compiled = compile(def.sql());
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < def.actions().size(); i++) {
            RuleAction a = def.actions().get(i);
            actions.add(Action.of(a, "actions[" + i + "]", () -> integrations.get()));
        }
        return new Running(def, compiled, actions);
    }

    private String newId(String tenant) {
        while (true) {
            byte[] b = new byte[4];
            IDS.nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            if (running(tenant, id).isEmpty()) {
                return id;
            }
        }
    }

    /** Writes every rule with {@code def} added, replaced or removed, before memory changes. */
    private void save(RuleDefinition def, boolean removed) {
        List<RuleDefinition> all = new ArrayList<>();
        boolean replaced = false;
        for (TenantRules t : tenants.values()) {
            for (Running r : t.byId.values()) {
                if (r.def.tenant().equals(def.tenant()) && r.def.id().equals(def.id())) {
                    replaced = true;
                    if (!removed) {
                        all.add(def);
                    }
                } else {
                    all.add(r.def);
                }
            }
        }
        if (!replaced && !removed) {
            all.add(def);
        }
        store.save(all);
    }

    private void put(Running r) {
        TenantRules t = tenants.computeIfAbsent(r.def.tenant(), k -> new TenantRules());
        t.byId.put(r.def.id(), r);
        if (r.def.enable()) {
            t.index.put(r.def.id(), r.compiled, r);
            enabled++;
        }
    }

    private void remove(Running r) {
        TenantRules t = tenants.get(r.def.tenant());
        t.byId.remove(r.def.id());
        if (t.index.remove(r.def.id())) {
            enabled--;
        }
    }
}
