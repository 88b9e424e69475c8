package io.aviary.authz.builtin;

import io.aviary.api.auth.AclRuleStore;
import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of every tenant that enabled authz-builtin, one {@link RuleFile} each. It is one
 * service for the whole bundle (the admin API's {@link AclRuleStore}); each tenant's
 * {@link BuiltinAuthorizer} attaches here when its instance starts, which is what "enabled for
 * the tenant" means. Checks read an immutable {@link RuleSet}; writes of a tenant are serialized,
 * saved, and only then published, so clients are always checked against what is on disk.
 * Removing the instance keeps the file (as auth-builtin keeps its users): re-enabling the source,
 * or changing its config (which restarts the instance), finds the rules again.
 */
@Component(service = {AclRuleStore.class, AclDatabase.class})
public final class AclDatabase implements AclRuleStore {
    static final String SOURCE_TYPE = "built_in_database";
    private static final Logger LOG = LoggerFactory.getLogger(AclDatabase.class);

    /** One tenant's rules and the limit of its instance. */
    private static final class TenantRules {
        final RuleFile file;
        volatile RuleSet rules;
        volatile int maxRules;
        volatile Object owner;

        TenantRules(RuleFile file) {
            this.file = file;
            this.rules = file.load();
        }
    }

    private final Map<String, TenantRules> tenants = new ConcurrentHashMap<>();
    private Path directory;

    public AclDatabase() {
    }

    /** For tests: rules kept under {@code directory}. */
    AclDatabase(Path directory) {
        this.directory = directory;
    }

    @Activate
    void activate(BundleContext context) {
        String data = context.getProperty("aviary.data.dir");
        directory = Paths.get(data == null || data.isBlank() ? "data" : data).resolve("authz-builtin");
    }

    /** Enables the tenant with this limit; {@code owner} is the instance, so a late detach of an old one is harmless. */
    void attach(String tenant, int maxRules, Object owner) {
        if (!tenant.matches("[A-Za-z0-9_.-]{1,64}") || tenant.startsWith(".")) {
            throw new IllegalArgumentException("tenant id not usable as a file name: " + tenant);
        }
        TenantRules t = tenants.computeIfAbsent(tenant, id -> new TenantRules(new RuleFile(directory.resolve(id + ".json"))));
        t.maxRules = maxRules;
        t.owner = owner;
        RuleSet r = t.rules;
        LOG.info("authz-builtin: tenant={} enabled ({} users, {} clients, {} rules in all, max_rules={})", tenant,
                r.users().size(), r.clients().size(), r.size(), maxRules);
    }

    void detach(String tenant, Object owner) {
        tenants.computeIfPresent(tenant, (id, t) -> t.owner == owner ? null : t);
    }

    /** The decision for a client of an enabled tenant (IGNORE when it is not enabled). */
    Decision decide(String tenant, ClientInfo client, Action action, String topic, int qos, boolean retain) {
        TenantRules t = tenants.get(tenant);
        return t == null ? Decision.IGNORE : t.rules.decide(client, action, topic, qos, retain);
    }

    @Override
    public String sourceType() {
        return SOURCE_TYPE;
    }

    @Override
    public boolean enabled(String tenant) {
        return tenants.containsKey(tenant);
    }

    @Override
    public int maxRules(String tenant) {
        return of(tenant).maxRules;
    }

    @Override
    public List<Subject> list(String tenant, Who who) {
        return of(tenant).rules.of(who).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Subject(e.getKey(), e.getValue().rules())).toList();
    }

    @Override
    public Optional<List<Rule>> get(String tenant, Who who, String name) {
        return Optional.ofNullable(of(tenant).rules.of(who).get(name)).map(RuleList::rules);
    }

    @Override
    public List<String> create(String tenant, Who who, Map<String, List<Rule>> subjects) {
        TenantRules t = of(tenant);
        synchronized (t) {
            Map<String, RuleList> current = t.rules.of(who);
            List<String> existing = subjects.keySet().stream().filter(current::containsKey).toList();
            if (!existing.isEmpty()) {
                return existing;
            }
            Map<String, RuleList> next = new HashMap<>(current);
            subjects.forEach((name, rules) -> next.put(name, checked(t, rules)));
            publish(t, t.rules.with(who, next));
        }
        LOG.info("authz-builtin: tenant={} rules added for {} {}{}", tenant, subjects.size(), noun(who, subjects.size()),
                subjects.size() <= 10 ? " " + subjects.keySet() : ""); // one bounded line, whatever the body held
        return List.of();
    }

    @Override
    public void put(String tenant, Who who, String name, List<Rule> rules) {
        TenantRules t = of(tenant);
        synchronized (t) {
            Map<String, RuleList> next = new HashMap<>(t.rules.of(who));
            next.put(name, checked(t, rules));
            publish(t, t.rules.with(who, next));
        }
        LOG.info("authz-builtin: tenant={} {} '{}' has {} rules", tenant, noun(who, 1), name, rules.size());
    }

    @Override
    public boolean delete(String tenant, Who who, String name) {
        TenantRules t = of(tenant);
        synchronized (t) {
            if (!t.rules.of(who).containsKey(name)) {
                return false;
            }
            Map<String, RuleList> next = new HashMap<>(t.rules.of(who));
            next.remove(name);
            publish(t, t.rules.with(who, next));
        }
        LOG.info("authz-builtin: tenant={} rules of {} '{}' deleted", tenant, noun(who, 1), name);
        return true;
    }

    @Override
    public List<Rule> all(String tenant) {
        return of(tenant).rules.all().rules();
    }

    @Override
    public void putAll(String tenant, List<Rule> rules) {
        TenantRules t = of(tenant);
        synchronized (t) {
            publish(t, t.rules.withAll(checked(t, rules)));
        }
        LOG.info("authz-builtin: tenant={} {} rules for all clients", tenant, rules.size());
    }

    @Override
    public void purge(String tenant) {
        TenantRules t = of(tenant);
        int removed;
        synchronized (t) {
            removed = t.rules.size();
            publish(t, RuleSet.EMPTY);
        }
        LOG.info("authz-builtin: tenant={} all {} rules purged", tenant, removed);
    }

    /** Compiles a list within the tenant's max_rules (refused whole, nothing changes, when longer). */
    private static RuleList checked(TenantRules t, List<Rule> rules) {
        if (rules.size() > t.maxRules) {
            throw new IllegalArgumentException(rules.size() + " rules exceed max_rules = " + t.maxRules);
        }
        return RuleList.of(new ArrayList<>(rules));
    }

    /** Saves the new set first, so what clients are checked against is always what is on disk. */
    private static void publish(TenantRules t, RuleSet next) {
        t.file.save(next);
        t.rules = next;
    }

    private TenantRules of(String tenant) {
        TenantRules t = tenants.get(tenant);
        if (t == null) {
            throw new IllegalStateException("authz-builtin is not enabled for tenant " + tenant);
        }
        return t;
    }

    private static String noun(Who who, int n) {
        String s = who == Who.USERNAME ? "user" : "client";
        return n == 1 ? s : s + "s";
    }
}
