package io.aviary.broker.tenant;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.aviary.api.tenant.Tenant;
import io.aviary.api.tenant.TenantState;
import io.aviary.api.tenant.Tenants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants of this node, kept in memory for the CONNECT path and written through to
 * {@code <data dir>/tenants.json} (replaced atomically on each change) whatever the session
 * durability mode: tenants are configuration, not messages, and survive a restart in memory
 * mode too. The {@code default} tenant
 * always exists. Suspending (or an expiry passing) disconnects a tenant's clients through
 * {@link Hooks}; deleting also purges its data.
 */
public final class TenantRegistry implements Tenants, io.aviary.api.tenant.TenantSettings {
    private static final Logger LOG = LoggerFactory.getLogger(TenantRegistry.class);
    private static final Gson GSON = new Gson();
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** The settings a tenant may override (quotas and protocol limits); see SettingCatalogue. */
    public static final java.util.Collection<String> QUOTAS = SettingCatalogue.overridable();

    /** What the broker does when a tenant stops being reachable. */
    public interface Hooks {
        /** Disconnects every client of the tenant (its sessions and data stay). */
        void disconnectAll(String tenant, String reason);

        /** Disconnects every client and removes every record of the tenant. */
        void purge(String tenant);

        /** Counts a quota refusal in the tenant's metrics. */
        default void refused(String tenant, String quota) {
        }

        /** Counts rule actions run, for usage metering. */
        default void ruleActionsRun(String tenant, long count) {
        }
    }

    private static final Hooks NO_HOOKS = new Hooks() {
        @Override
        public void disconnectAll(String tenant, String reason) {
        }

        @Override
        public void purge(String tenant) {
        }
    };

    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    /** SNI host name to tenant id, for the tenants' own host names. */
    private final Map<String, String> hosts = new ConcurrentHashMap<>();
    private final Path file;
    private final LongSupplier clock;
    private volatile Hooks hooks = NO_HOOKS;
    private volatile UsageMeter meter;

    /**
     * {@code file} may be null (tests, embedded brokers): tenants then live in memory only.
     *
     * @throws IllegalStateException when the file exists but cannot be read: refusing to start beats
     *                               forgetting every tenant
     */
    public TenantRegistry(Path file, LongSupplier clock) {
        this.file = file;
        this.clock = clock;
        if (file != null && Files.exists(file)) {
            load();
        }
        if (!tenants.containsKey(Tenant.DEFAULT)) {
            put(new Tenant(Tenant.DEFAULT, "Default tenant", TenantState.ACTIVE, List.of(), Map.of(), clock.getAsLong(), 0));
        }
    }

    @Override
    public void refused(String id, String quota) {
        hooks.refused(id, quota);
    }

    @Override
    public void ruleActionsRun(String id, long count) {
        hooks.ruleActionsRun(id, count);
    }

    public void hooks(Hooks hooks) {
        this.hooks = hooks == null ? NO_HOOKS : hooks;
    }

    /** The usage meter that answers {@link #usage}. */
    public void meter(UsageMeter meter) {
        this.meter = meter;
    }

    /** Where usage metering keeps its hours: beside the tenants file (null: in memory only). */
    public Path usageFile() {
        return file == null ? null : file.resolveSibling("usage.json");
    }

    private volatile io.aviary.broker.config.BrokerSettings node = io.aviary.broker.config.BrokerSettings.of(Map.of());

    /** The node's settings, for the limits view (set by the broker). */
    public synchronized void nodeSettings(io.aviary.broker.config.BrokerSettings settings) {
        this.node = settings;
        generation++;
    }

    /** Bumped by every change of a tenant or of the node settings, after the change is visible. */
    private volatile int generation;

    /**
     * A number that changes whenever any tenant or the node settings change: a connection keeps
     * what it resolved (its authorization settings) until this moves, one volatile read per use.
     */
    public int generation() {
        return generation;
    }

    /** A tenant's resolved authorization behaviour, valid while its tenant record and the node settings are the same objects. */
    private record ResolvedAuthz(Tenant tenant, io.aviary.broker.config.BrokerSettings node,
                                 io.aviary.api.auth.AuthzSettings settings) {
    }

    /** Asked per PUBLISH: two map lookups and two identity checks, no allocation once resolved. */
    private final Map<String, ResolvedAuthz> authz = new ConcurrentHashMap<>();

    /** The tenant's effective authorization behaviour: its overrides, else the node's. */
    public io.aviary.api.auth.AuthzSettings authz(String tenant) {
        Tenant t = tenants.get(tenant);
        io.aviary.broker.config.BrokerSettings n = node;
        ResolvedAuthz r = authz.get(tenant);
        if (r == null || r.tenant() != t || r.node() != n) {
            r = new ResolvedAuthz(t, n, SettingCatalogue.authz(t, n));
            if (t != null) {
                authz.put(tenant, r);
            }
        }
        return r.settings();
    }

    /**
     * Stores the tenant's authorization behaviour as its authz_* overrides (persisted with it).
     *
     * @return the effective settings, or empty for an unknown tenant
     */
    public Optional<io.aviary.api.auth.AuthzSettings> updateAuthz(String id, io.aviary.api.auth.AuthzSettings settings) {
        synchronized (this) {
            Tenant t = tenants.get(id);
            if (t == null) {
                return Optional.empty();
            }
            Map<String, Long> quotas = new java.util.HashMap<>(t.quotas());
            quotas.putAll(SettingCatalogue.authzOverrides(settings));
            put(new Tenant(t.id(), t.name(), t.state(), t.hosts(), quotas, t.createdAt(), t.expiresAt()));
        }
        LOG.info("tenant={} authorization settings {}", id, settings);
        return Optional.of(authz(id));
    }

    @Override
    public long effective(String tenant, String name) {
        Tenant t = tenants.get(tenant);
        if (t == null) { // an unknown tenant has no overrides: the node's values
            t = new Tenant(Tenant.DEFAULT, null, TenantState.ACTIVE, List.of(), Map.of(), 0, 0);
        }
        for (io.aviary.api.tenant.TenantLimit l : SettingCatalogue.limits(t, node)) {
            if (l.name().equals(name)) {
                return l.value();
            }
        }
        throw new IllegalArgumentException("no setting '" + name + "'");
    }

    @Override
    public List<io.aviary.api.tenant.TenantLimit> limits(String id) {
        Tenant t = find(id);
        return t == null ? List.of() : SettingCatalogue.limits(t, node);
    }

    @Override
    public List<io.aviary.api.tenant.UsageHour> usage(String id, long from, long to) {
        UsageMeter m = meter;
        return m == null || find(id) == null ? List.of() : m.usage(id, from, to);
    }

    // ---- lookups for the CONNECT path

    /** The tenant with this id, or null. */
    public Tenant find(String id) {
        return id == null ? null : tenants.get(id);
    }

    /** The tenant that claimed this SNI host name in its {@code hosts}, or null. */
    public Tenant byHost(String host) {
        String id = host == null ? null : hosts.get(host);
        return id == null ? null : tenants.get(id);
    }

    // ---- Tenants

    @Override
    public List<Tenant> list() {
        List<Tenant> out = new ArrayList<>(tenants.values());
        out.sort(Comparator.comparing(Tenant::id));
        return out;
    }

    @Override
    public Optional<Tenant> get(String id) {
        return Optional.ofNullable(find(id));
    }

    @Override
    public synchronized Tenant create(Tenant tenant) {
        if (!Tenant.validId(tenant.id())) {
            throw new IllegalArgumentException("field 'id' must be 1 to 64 lower-case letters, digits, '-' or '_'");
        }
        if (tenants.containsKey(tenant.id())) {
            throw new IllegalStateException("tenant '" + tenant.id() + "' already exists");
        }
        Tenant created = new Tenant(tenant.id(), tenant.name(), tenant.state(), normalHosts(tenant), tenant.quotas(),
                clock.getAsLong(), tenant.expiresAt());
        validate(created);
        created = expired(created) ? suspended(created) : created;
        put(created);
        LOG.info("tenant={} created (state {})", created.id(), created.state().name().toLowerCase(Locale.ROOT));
        return created;
    }

    /** Creates the tenant (active) unless it exists: a listener bound to a tenant in the configuration implies it. */
    public synchronized Tenant ensure(String id, String why) {
        Tenant t = tenants.get(id);
        if (t != null) {
            return t;
        }
        if (!Tenant.validId(id)) {
            throw new IllegalArgumentException(why + ": '" + id + "' is not a tenant id (1 to 64 of a-z 0-9 - _)");
        }
        LOG.info("tenant={} created for {}", id, why);
        return create(new Tenant(id, id, TenantState.ACTIVE, List.of(), Map.of(), 0, 0));
    }

    @Override
    public Optional<Tenant> update(Tenant change) {
        Tenant updated;
        Tenant before;
        synchronized (this) {
            before = tenants.get(change.id());
            if (before == null) {
                return Optional.empty();
            }
            updated = new Tenant(before.id(), change.name(), change.state(), normalHosts(change),
                    keepAuthz(before.quotas(), change.quotas()), before.createdAt(), change.expiresAt());
            validate(updated);
            if (updated.active() && expired(updated)) {
                updated = suspended(updated);
            }
            put(updated);
        }
        LOG.info("tenant={} updated (state {})", updated.id(), updated.state().name().toLowerCase(Locale.ROOT));
        if (before.active() && !updated.active()) {
            hooks.disconnectAll(updated.id(), "tenant suspended");
        }
        return Optional.of(updated);
    }

    @Override
    public boolean delete(String id) {
        if (Tenant.DEFAULT.equals(id)) {
            throw new IllegalArgumentException("the tenant 'default' cannot be deleted (suspend it instead)");
        }
        Tenant gone;
        synchronized (this) {
            gone = tenants.remove(id == null ? "" : id);
            if (gone == null) {
                return false;
            }
            gone.hosts().forEach(hosts::remove);
            authz.remove(id);
            generation++;
            save();
        }
        hooks.purge(id);
        UsageMeter m = meter;
        if (m != null) {
            m.forget(id);
        }
        LOG.info("tenant={} deleted with its data", id);
        return true;
    }

    /**
     * The authorization settings (authz_*, set through /authorization/settings) survive a change
     * whose quotas do not name them: replacing a tenant's quotas must not reset its authorization.
     */
    private static Map<String, Long> keepAuthz(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> kept = null;
        for (Map.Entry<String, Long> e : before.entrySet()) {
            if (e.getKey().startsWith("authz_") && !after.containsKey(e.getKey())) {
                kept = kept == null ? new java.util.HashMap<>(after) : kept;
                kept.put(e.getKey(), e.getValue());
            }
        }
        return kept == null ? after : kept;
    }

    /** Suspends every active tenant whose expiry has passed; returns how many (run periodically). */
    public int suspendExpired() {
        int n = 0;
        for (Tenant t : list()) {
            if (t.active() && expired(t)) {
                LOG.info("tenant={} expired at {}: suspending it", t.id(), java.time.Instant.ofEpochMilli(t.expiresAt()));
                update(suspended(t));
                n++;
            }
        }
        return n;
    }

    // ---- validation

    private boolean expired(Tenant t) {
        return t.expiresAt() > 0 && t.expiresAt() <= clock.getAsLong();
    }

    private static Tenant suspended(Tenant t) {
        return new Tenant(t.id(), t.name(), TenantState.SUSPENDED, t.hosts(), t.quotas(), t.createdAt(), t.expiresAt());
    }

    private static List<String> normalHosts(Tenant t) {
        return t.hosts().stream().map(h -> h == null ? "" : h.trim().toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private void validate(Tenant t) {
        if (t.name().length() > 256) {
            throw new IllegalArgumentException("field 'name' must be at most 256 characters");
        }
        if (t.expiresAt() < 0) {
            throw new IllegalArgumentException("field 'expires_at' must be a time or null");
        }
        if (t.hosts().size() > 64) {
            throw new IllegalArgumentException("field 'hosts' may name at most 64 host names");
        }
        for (String h : t.hosts()) {
            if (h.length() > 253 || !HOST.matcher(h).matches()) {
                throw new IllegalArgumentException("field 'hosts': '" + h + "' is not a host name");
            }
            String owner = hosts.get(h);
            if (owner != null && !owner.equals(t.id())) {
                throw new IllegalArgumentException("field 'hosts': '" + h + "' belongs to another tenant");
            }
        }
        for (Map.Entry<String, Long> q : t.quotas().entrySet()) {
            SettingCatalogue.validate(q.getKey(), q.getValue());
        }
    }

    // ---- persistence

    private void put(Tenant t) {
        Tenant before = tenants.put(t.id(), t);
        generation++; // under the registry's lock (every caller holds it)
        if (before != null) {
            before.hosts().forEach(h -> hosts.remove(h, t.id()));
        }
        t.hosts().forEach(h -> hosts.put(h, t.id()));
        save();
    }

    /** Writes every tenant to a temporary file and moves it over the old one, so a crash leaves one or the other. */
    private synchronized void save() {
        if (file == null) {
            return;
        }
        JsonArray all = new JsonArray();
        for (Tenant t : list()) {
            JsonObject o = toRecord(t);
            o.addProperty("id", t.id());
            all.add(o);
        }
        JsonObject doc = new JsonObject();
        doc.addProperty("version", 1);
        doc.add("tenants", all);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, GSON.toJson(doc), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void load() {
        try {
            JsonObject doc = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), JsonObject.class);
            for (var element : doc.getAsJsonArray("tenants")) {
                JsonObject o = element.getAsJsonObject();
                Tenant t = fromRecord(o.get("id").getAsString(), o);
                tenants.put(t.id(), t);
                t.hosts().forEach(h -> hosts.put(h, t.id()));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the tenants from " + file + " (" + e
                    + "); fix or restore the file, or move it away to start with the default tenant only", e);
        }
        LOG.info("tenants: {} restored from {}", tenants.size(), file);
    }

    private static JsonObject toRecord(Tenant t) {
        JsonObject o = new JsonObject();
        o.addProperty("v", 1);
        o.addProperty("name", t.name());
        o.addProperty("state", t.state().name());
        o.add("hosts", GSON.toJsonTree(t.hosts()));
        o.add("quotas", GSON.toJsonTree(t.quotas()));
        o.addProperty("created_at", t.createdAt());
        o.addProperty("expires_at", t.expiresAt());
        return o;
    }

    private static Tenant fromRecord(String id, JsonObject o) {
        List<String> hostList = GSON.fromJson(o.get("hosts"), new TypeToken<List<String>>() { }.getType());
        Map<String, Long> quotas = GSON.fromJson(o.get("quotas"), new TypeToken<Map<String, Long>>() { }.getType());
        return new Tenant(id, o.get("name").getAsString(), TenantState.valueOf(o.get("state").getAsString()), hostList,
                quotas, o.get("created_at").getAsLong(), o.get("expires_at").getAsLong());
    }
}
