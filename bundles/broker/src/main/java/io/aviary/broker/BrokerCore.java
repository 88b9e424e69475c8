package io.aviary.broker;

import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.events.DropReason;
import io.aviary.api.log.OncePerSecond;
import io.aviary.broker.auth.AuthService;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.config.RewriteRule;
import io.aviary.broker.events.EventDispatcher;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.retain.DurableRetainedStore;
import io.aviary.broker.retain.InMemoryRetainedStore;
import io.aviary.broker.retain.RetainedStore;
import io.aviary.broker.routing.LocalRouter;
import io.aviary.broker.routing.Router;
import io.aviary.broker.session.Connection;
import io.aviary.broker.session.Delivery;
import io.aviary.broker.session.DurableSessionStore;
import io.aviary.broker.session.InMemorySessionStore;
import io.aviary.broker.session.LocalSessionRegistry;
import io.aviary.broker.session.Session;
import io.aviary.broker.session.SessionKey;
import io.aviary.broker.session.SessionRegistry;
import io.aviary.broker.session.SessionStore;
import io.aviary.broker.session.Tickets;
import io.aviary.broker.session.WillMessage;
import io.aviary.broker.tenant.TenantQuotas;
import io.aviary.broker.tenant.TenantRegistry;
import io.aviary.broker.tenant.TenantResolver;
import io.aviary.broker.tenant.SettingCatalogue;
import io.aviary.broker.tenant.UsageMeter;
import io.aviary.broker.topic.LocalTopicIndex;
import io.aviary.broker.topic.SharedGroup;
import io.aviary.broker.topic.Subscription;
import io.aviary.broker.topic.TopicFilter;
import io.aviary.broker.topic.TopicIndex;
import io.aviary.broker.util.Counters;
import io.aviary.broker.util.TenantCounters;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.Will;
import io.aviary.store.DurableStore;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's state and the operations every front end shares (MQTT listeners, the Broker
 * service, later gateways): opening and closing sessions with takeover, Will and expiry rules,
 * subscribing, and publishing (retained store, then routing). Transport-free: it never touches
 * a channel, only the {@link Connection} interface.
 */
public final class BrokerCore implements LocalRouter.DeliverySink {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCore.class);

    private final BrokerSettings settings;
    private final TopicIndex index;
    private final SessionRegistry registry;
    private final SessionStore store;
    private final RetainedStore retained;
    private final Router router;
    private final EventDispatcher events;
    private final Counters counters;
    private final AuthService auth;
    private final ScheduledExecutorService timer;
    private final DelayedPublisher delayed;
    private final ConcurrentHashMap<String, SessionKey> exclusiveOwners = new ConcurrentHashMap<>();
    /** The durable store (a no-op one in memory mode); acknowledgements wait on it. */
    private final DurableStore durable;

    private List<Map.Entry<byte[], byte[]>> restoredBans;

    public BrokerCore(BrokerSettings settings, EventDispatcher events, ScheduledExecutorService timer) {
        this(settings, events, timer, null, Durability.MEMORY);
    }

    /**
     * With a durable store in durable mode, persistent sessions, retained and delayed messages
     * are written to it and read back from it now, before any listener opens.
     */
    public BrokerCore(BrokerSettings settings, EventDispatcher events, ScheduledExecutorService timer,
                      DurableStore durable, Durability limits) {
        this(settings, events, timer, durable, limits, durable != null && durable.durable()
                ? new DurableSessionStore(durable, limits.tenantDiskQuota(), limits.sessionDiskQuota()) : null);
    }

    /** {@code sessions} (null in memory mode) also keeps the tenant disk quota of retained and delayed messages. */
    private BrokerCore(BrokerSettings settings, EventDispatcher events, ScheduledExecutorService timer,
                       DurableStore durable, Durability limits, DurableSessionStore sessions) {
        this(settings, new LocalTopicIndex(), new LocalSessionRegistry(),
                sessions != null ? sessions : new InMemorySessionStore(),
                sessions != null ? new DurableRetainedStore(durable, sessions) : new InMemoryRetainedStore(),
                events, timer, durable);
        if (store instanceof DurableSessionStore d) {
            restore(d.load());
            scheduleHousekeeping(limits.expiryCheckMs());
        }
    }

    /**
     * The ban list's records read by the start-up scan (null in memory mode), handed over once so
     * the ban list needs no second scan of the store.
     */
    public List<Map.Entry<byte[], byte[]>> takeRestoredBans() {
        List<Map.Entry<byte[], byte[]>> bans = restoredBans;
        restoredBans = null;
        return bans;
    }

    /** Hands the optional alarm service (null when gone) to the durable store's quota alarms. */
    public void alarms(io.aviary.api.alarm.Alarms alarms) {
        if (store instanceof DurableSessionStore d) {
            d.alarms(alarms);
        }
    }

    public BrokerCore(BrokerSettings settings, TopicIndex index, SessionRegistry registry, SessionStore store,
                      RetainedStore retained, EventDispatcher events, ScheduledExecutorService timer) {
        this(settings, index, registry, store, retained, events, timer, null);
    }

    private BrokerCore(BrokerSettings settings, TopicIndex index, SessionRegistry registry, SessionStore store,
                      RetainedStore retained, EventDispatcher events, ScheduledExecutorService timer,
                      DurableStore durable) {
        this.settings = settings;
        this.index = index;
        this.registry = registry;
        this.store = store;
        this.retained = retained;
        this.events = events;
        this.timer = timer;
        this.counters = new Counters();
        this.auth = new AuthService(settings.authTimeoutMs);
        this.router = new LocalRouter(index, settings, this);
        this.delayed = new DelayedPublisher(this, timer, settings.maxDelayedMessages, durable,
                store instanceof DurableSessionStore d ? d : null);
        this.durable = durable;
        useTenants(new TenantRegistry(null, System::currentTimeMillis), "", true, true);
    }

    private volatile TenantRegistry tenants;
    private volatile TenantResolver tenantResolver;
    private volatile TenantQuotas quotas;
    private volatile UsageMeter usage;

    public TenantQuotas quotas() {
        return quotas;
    }

    /** The tenant's Maximum QoS: its override (SettingCatalogue max_qos), else the node's. */
    public int maxQos(String tenant) {
        return SettingCatalogue.effective(tenants.find(tenant), "max_qos", settings.maxQos);
    }

    /**
     * A tenth of the queue limit (at least 16; 1 000 for an unlimited queue): a connected subscriber
     * with more queued than this makes its publishers wait until it is below half of it.
     */
    public int backpressureThreshold(Session session) {
        int max = maxMqueueLen(session.key().tenant());
        return max <= 0 ? 1_000 : Math.max(MIN_BACKPRESSURE_THRESHOLD, max / 10);
    }

    /**
     * Whether publishers feeding the session should wait for it (a slower subscriber, not a stuck
     * one): from the threshold on for a publisher about to pause, down to half of it for one already
     * waiting (as {@code whenDrained}), so that it does not resume and pause again per message.
     */
    public boolean backlogged(Session session, boolean alreadyWaiting) {
        int threshold = backpressureThreshold(session);
        return session.backlogged(alreadyWaiting ? threshold / 2 : threshold, settings.slowSubscriberTimeoutNanos,
                System.nanoTime());
    }

    /** A slow subscriber's full queue drops at message rate: one warning a second says so. */
    private final OncePerSecond queueFullNotice = new OncePerSecond();

    /** The smallest backlog that can hold publishers: below it a delivery costs two volatile reads, nothing more. */
    private static final int MIN_BACKPRESSURE_THRESHOLD = 16;

    /** mqtt.allow_anonymous, or the tenant's allow_anonymous override. */
    public boolean allowAnonymous(String tenant) {
        return SettingCatalogue.effective(tenants.find(tenant), "allow_anonymous", settings.allowAnonymous ? 1 : 0) == 1;
    }

    /**
     * Whether a client that every member of the tenant's authenticator chain ignored is still
     * admitted: only when the tenant itself sets allow_anonymous = 1. Once a tenant has a chain,
     * the chain decides (as in EMQX); the node-wide default covers tenants without one.
     */
    public boolean admitIgnoredByChain(String tenant) {
        io.aviary.api.tenant.Tenant t = tenants.find(tenant);
        Long v = t == null ? null : t.quotas().get("allow_anonymous");
        return v != null && v == 1;
    }

    public int maxTopicLevels(String tenant) {
        return SettingCatalogue.effective(tenants.find(tenant), "max_topic_levels", settings.maxTopicLevels);
    }

    public int maxMqueueLen(String tenant) {
        return SettingCatalogue.effective(tenants.find(tenant), "max_mqueue_len", settings.maxMqueueLen);
    }

    /**
     * The tenant registry and how devices are resolved to tenants (see TenantResolver); set
     * before listeners open. Expired trial tenants are suspended within a second.
     */
    public void useTenants(TenantRegistry registry, String sniDomain, boolean usernameSuffix, boolean defaultEnabled) {
        boolean first = tenants == null;
        tenants = registry;
        tenantResolver = new TenantResolver(registry, sniDomain, usernameSuffix, defaultEnabled);
        quotas = new TenantQuotas(registry, this.registry, counters, System::nanoTime);
        registry.nodeSettings(settings);
        UsageMeter meter = new UsageMeter(() -> registry.list().stream().map(io.aviary.api.tenant.Tenant::id).toList(),
                this.registry, counters, System::currentTimeMillis, registry.usageFile());
        registry.meter(meter);
        usage = meter;
        if (first && timer != null) {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    tenants.suspendExpired();
                } catch (RuntimeException e) {
                    LOG.warn("tenant expiry check failed: {}", e.toString());
                }
            }, 1, 1, TimeUnit.SECONDS);
            timer.scheduleWithFixedDelay(() -> {
                try {
                    usage.sample();
                } catch (RuntimeException e) {
                    LOG.warn("usage metering sample failed: {}", e.toString());
                }
            }, 60, 60, TimeUnit.SECONDS);
        }
    }

    public TenantRegistry tenants() {
        return tenants;
    }

    public TenantResolver tenantResolver() {
        return tenantResolver;
    }

    /** Durability limits: disk quotas (bytes, 0 = none) and how often expired data is removed. */
    public record Durability(long tenantDiskQuota, long sessionDiskQuota, long expiryCheckMs) {
        public static final Durability MEMORY = new Durability(0, 0, 60_000);
    }

    /**
     * Runs {@code ack} (on the caller, or on the store's commit thread) once every record written
     * for what the current thread just published is on disk; at once when nothing was written.
     */
    public void afterDurable(long ticket, Runnable ack) {
        if (durable == null || ticket == 0) {
            ack.run();
        } else {
            durable.whenDurable(ticket, ack);
        }
    }

    /** True in durable mode. */
    public boolean durable() {
        return durable != null && durable.durable();
    }

    /** The store (memory mode's writes nothing), or null for a broker without one. */
    public DurableStore durableStore() {
        return durable;
    }

    // ---- restart

    /** Sessions come back offline, with their subscriptions, queues, inflight messages, timers and Wills. */
    private void restore(DurableSessionStore.Contents contents) {
        restoredBans = contents.bans();
        long now = System.currentTimeMillis();
        for (DurableSessionStore.Restored r : contents.sessions()) {
            restoreSession(r, now);
        }
        if (retained instanceof DurableRetainedStore d) {
            d.restore(contents.retained());
        }
        delayed.restore(contents.delayed());
    }

    private void restoreSession(DurableSessionStore.Restored r, long now) {
        var rec = r.record();
        Session session = new Session(r.state(), rec.client());
        session.onEvicted((s, m) -> dropped(s, m, DropReason.QUEUE_FULL));
        // connected when the broker stopped: the connection was lost now, so its Will is due
        long since = rec.disconnectedAt() == 0 ? now : rec.disconnectedAt();
        session.restoredOffline(rec.expirySeconds(), since);
        registry.compute(session.key(), (k, old) -> session);
        for (var e : r.subscriptions().entrySet()) {
            TopicFilter f = TopicFilter.parse(e.getKey());
            Subscription s = new Subscription(session, f.raw(), f.filter(), f.shareGroup(), e.getValue());
            index.add(session.key().tenant(), s);
            if (f.exclusive() && settings.exclusiveSubscription) {
                exclusiveOwners.put(exclusiveKey(session.key().tenant(), f.filter()), session.key());
            }
        }
        long expiry = rec.expirySeconds();
        long left = expiry >= BrokerSettings.NEVER_EXPIRE ? -1 : Math.max(0, since + expiry * 1000 - now);
        Future<?> expiryTimer = left < 0 ? null : scheduleMs(() -> expire(session), left);
        Future<?> willTimer = null;
        WillMessage will = rec.will();
        if (will != null) {
            long due = Math.min(will.delaySeconds(), expiry) * 1000;
            willTimer = scheduleMs(() -> delayedWill(session), Math.max(0, since + due - now));
        }
        session.timers(willTimer, expiryTimer, will);
    }

    private Future<?> scheduleMs(Runnable task, long ms) {
        try {
            return timer.schedule(task, ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            return null;
        }
    }

    /**
     * Expired retained messages and expired queued messages of persistent sessions leave memory
     * and disk; the store then reclaims the space of what was deleted (compaction).
     */
    private void scheduleHousekeeping(long everyMs) {
        if (everyMs <= 0) {
            return;
        }
        try {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    long now = System.currentTimeMillis();
                    int n = retained instanceof DurableRetainedStore d ? d.purgeExpired(now) : 0;
                    int queued = 0;
                    for (Session session : registry.all(null)) {
                        if (session.durable()) {
                            queued += session.dropExpired(now);
                        }
                    }
                    durable.compact();
                    LOG.debug("durable store housekeeping: {} expired retained and {} expired queued messages removed,"
                            + " {} bytes on disk", n, queued, durable.diskSize());
                } catch (RuntimeException e) {
                    LOG.warn("durable store housekeeping failed: {}", e.toString());
                }
            }, everyMs, everyMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // nothing to do
        }
    }

    public BrokerSettings settings() { return settings; }
    public TopicIndex index() { return index; }
    public SessionRegistry registry() { return registry; }
    public RetainedStore retained() { return retained; }
    public EventDispatcher events() { return events; }
    public Counters counters() { return counters; }
    public AuthService auth() { return auth; }
    public ScheduledExecutorService timer() { return timer; }

    // ---- sessions

    /** What {@link #open} decided. */
    public record Opened(Session session, boolean present) {
    }

    /**
     * Opens (or resumes) the session for a connection that passed CONNECT checks: discards the
     * old session on clean start, takes over an attached connection (0x8E), and publishes or
     * cancels the previous connection's Will as MQTT 5 section 3.1.3.2.2 says.
     */
    public Opened open(ClientInfo client, boolean cleanStart, int keepAlive, long expiry, Connection conn) {
        try {
            return openOnce(client, cleanStart, keepAlive, expiry, conn);
        } catch (IllegalStateException endedMeanwhile) {
            // the session expired between lookup and attach: the second lookup creates a fresh one
            return openOnce(client, cleanStart, keepAlive, expiry, conn);
        }
    }

    private Opened openOnce(ClientInfo client, boolean cleanStart, int keepAlive, long expiry, Connection conn) {
        long now = System.currentTimeMillis();
        SessionKey key = new SessionKey(client.tenant(), client.clientId());
        Session[] discarded = new Session[1];
        boolean[] present = new boolean[1];
        Session session = registry.compute(key, (k, old) -> {
            if (old != null && !cleanStart && !old.ended()) {
                present[0] = true;
                return old;
            }
            discarded[0] = old;
            Session created = new Session(store.create(k, now, expiry > 0), client);
            created.onEvicted((s, m) -> dropped(s, m, DropReason.QUEUE_FULL));
            return created;
        });
        if (discarded[0] != null) {
            endTakenOver(discarded[0]);
        }
        Connection previous = session.attach(conn, client, cleanStart, keepAlive, now);
        session.expiryInterval(expiry);
        session.persistSession();
        if (previous != null) {
            WillMessage will = session.takeWill();
            if (will != null && will.delaySeconds() == 0) {
                publishWill(will);
            }
            previous.disconnect(ReasonCode.SESSION_TAKEN_OVER, "session taken over");
        }
        return new Opened(session, present[0]);
    }

    /** A clean start replaced this session: its connection is told 0x8E, its Will is due now. */
    private void endTakenOver(Session old) {
        Connection c = old.connection();
        WillMessage will = old.takeWill();
        if (will == null) {
            will = old.takePendingWill();
        }
        removeSubscriptions(old);
        redispatchAll(old, old.end(store));
        if (will != null) {
            publishWill(will);
        }
        if (c != null) {
            c.disconnect(ReasonCode.SESSION_TAKEN_OVER, "session taken over");
        }
    }

    /**
     * The connection ended. With {@code willDue} the Will is published (now, or after its delay
     * if the session outlives it); a session with expiry 0 ends now, others get an expiry timer.
     */
    public void closed(Session session, Connection conn, boolean willDue) {
        long now = System.currentTimeMillis();
        Session.Detached detached = session.detach(conn, now);
        if (detached == null || session.ended()) {
            return;
        }
        redispatchShared(session);
        WillMessage will = detached.will();
        if (!willDue) {
            will = null;
        }
        long expiry = session.expiryInterval();
        if (expiry == 0) {
            endSession(session);
            if (will != null) {
                publishWill(will);
            }
            return;
        }
        Future<?> willTimer = null;
        WillMessage pending = null;
        if (will != null) {
            long delay = Math.min(will.delaySeconds(), expiry);
            if (delay == 0) {
                publishWill(will);
            } else {
                pending = will;
                willTimer = schedule(() -> delayedWill(session), delay);
            }
        }
        Future<?> expiryTimer = expiry >= BrokerSettings.NEVER_EXPIRE ? null
                : schedule(() -> expire(session), expiry);
        session.timers(willTimer, expiryTimer, pending);
    }

    /** Schedules on the broker's timer; null while shutting down (the timer refuses new work). */
    private Future<?> schedule(Runnable task, long seconds) {
        try {
            return timer.schedule(task, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            return null;
        }
    }

    /** A shared-subscription member left: its unacknowledged and queued QoS 1/2 messages go to another member. */
    private void redispatchShared(Session leaving) {
        redispatchAll(leaving, leaving.takeSharedUnacked(s -> hasOtherMember(leaving, s)));
    }

    private boolean hasOtherMember(Session leaving, Subscription s) {
        SharedGroup group = index.tree(leaving.key().tenant()).group(s.topicFilter(), s.shareGroup());
        if (group != null) {
            for (Subscription member : group.members()) {
                if (!member.subscriber().key().equals(leaving.key())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void redispatchAll(Session leaving, List<Delivery> orphans) {
        for (Delivery d : orphans) {
            redispatch(leaving, d);
        }
        if (!orphans.isEmpty()) {
            LOG.debug("redispatched {} shared messages of tenant={} clientid={}", orphans.size(),
                    leaving.key().tenant(), leaving.key().clientId());
        }
    }

    /**
     * Gives one shared-subscription delivery (and its reference) to another member of the same
     * share; it stays with {@code leaving} when no other member exists.
     */
    public void redispatch(Session leaving, Delivery d) {
        Subscription s = d.shared();
        SharedGroup group = index.tree(leaving.key().tenant()).group(s.topicFilter(), s.shareGroup());
        Subscription other = group == null ? null
                : group.pickExcept(settings.sharedStrategy, d.message().publisherId(), d.message().topic(), leaving.key());
        if (other == null || other.subscriber().key().equals(leaving.key())) {
            requeue(leaving, d);
            return;
        }
        int qos = settings.upgradeQos ? other.options().qos() : Math.min(d.message().qos(), other.options().qos());
        int id = other.options().subscriptionId();
        deliver((Session) other.subscriber(), new Delivery(d.message(), qos, d.retain(), id == 0 ? null : new int[] {id},
                other));
    }

    /** No other member: back to the leaving session's queue, or dropped if that session has ended too. */
    private void requeue(Session session, Delivery d) {
        int r = session.enqueue(d, maxMqueueLen(session.key().tenant()), true);
        if (r == Session.DROPPED || r == Session.ENDED) {
            forget(session, d);
            dropped(session, d.message(), DropReason.QUEUE_FULL);
            d.message().release();
        }
    }

    private void delayedWill(Session session) {
        WillMessage will = session.takePendingWill();
        if (will != null) {
            publishWill(will);
        }
    }

    private void expire(Session session) {
        if (registry.get(session.key()) == session && session.markEndedIfOffline()) {
            LOG.debug("session expired tenant={} clientid={}", session.key().tenant(), session.key().clientId());
            endSession(session);
        }
    }

    /**
     * Ends a session for good: subscriptions leave the index, then (in one step with ending) its
     * shared QoS 1/2 messages go to other members and the rest are released. A delivery routed
     * to it before it left a group arrives either before that step (and is redispatched with the
     * rest) or after it (refused with ENDED, then redispatched by whoever holds it).
     */
    public void endSession(Session session) {
        registry.remove(session.key(), session);
        WillMessage pendingWill = session.takePendingWill();
        removeSubscriptions(session);
        redispatchAll(session, session.end(store));
        if (pendingWill != null) {
            publishWill(pendingWill); // the session ended before the Will Delay [MQTT-3.1.3-9]
        }
    }

    private void removeSubscriptions(Session session) {
        for (Subscription s : session.subscriptions()) {
            index.remove(session.key().tenant(), s);
            releaseExclusive(session, s);
        }
    }

    private void releaseExclusive(Session session, Subscription s) {
        if (settings.exclusiveSubscription && s.filter().startsWith(TopicFilter.EXCLUSIVE_PREFIX)) {
            exclusiveOwners.remove(exclusiveKey(session.key().tenant(), s.topicFilter()), session.key());
        }
    }

    /**
     * Publishes a Will once the tenant's authorizers allow its publication, as EMQX 5 checks a
     * Will when it is about to be published (not at CONNECT): rules changed since then apply. A
     * superuser's Will, or one of a tenant with no authorizers and no_match allow, goes at once.
     * A denied Will is dropped, counted (delivery NOT_AUTHORIZED drop of the tenant,
     * messages.will.denied) and logged.
     */
    public void publishWill(WillMessage w) {
        ClientInfo client = w.client();
        io.aviary.api.auth.AuthzSettings authz = tenants.authz(client.tenant());
        boolean superuser = "true".equals(client.attributes().get("aviary.superuser"));
        if (superuser || (!auth.hasAuthorizers(client.tenant()) && authz.noMatch() == Decision.ALLOW)) {
            publishWillNow(w);
            return;
        }
        Will will = w.will();
        auth.authorize(client, io.aviary.api.auth.Action.PUBLISH, will.topic(), will.qos(), will.retain(),
                authz.noMatch(), timer).whenComplete((v, e) -> {
                    if (v != null && v.decision() == Decision.ALLOW) {
                        publishWillNow(w);
                    } else {
                        counters.inc("messages.will.denied");
                        counters.tenant(client.tenant()).dropped(io.aviary.api.events.DropReason.NOT_AUTHORIZED);
                        LOG.info("will not authorized, dropped tenant={} clientid={} topic={}", client.tenant(),
                                client.clientId(), will.topic());
                    }
                });
    }

    private void publishWillNow(WillMessage w) {
        Will will = w.will();
        var props = will.properties().has(PropertyId.WILL_DELAY_INTERVAL)
                ? will.properties().toBuilder().remove(PropertyId.WILL_DELAY_INTERVAL).build()
                : will.properties();
        BrokerMessage m = new BrokerMessage(w.client().tenant(), will.topic(), will.qos(), will.retain(), props,
                Unpooled.wrappedBuffer(will.payload()), w.client(), System.currentTimeMillis());
        LOG.debug("publishing will tenant={} clientid={} topic={}", w.client().tenant(), w.client().clientId(), will.topic());
        try {
            publish(m);
        } finally {
            m.release();
        }
    }

    // ---- subscriptions

    /**
     * Adds a subscription to the session and the index; returns the v5 SUBACK reason code (granted
     * QoS, or an error). {@code existed[0]} tells whether it replaced one (Retain Handling 1).
     */
    public int subscribe(Session session, TopicFilter filter, SubscriptionOptions options, boolean[] existed) {
        String tenant = session.key().tenant();
        if (filter.exclusive() && !settings.exclusiveSubscription) {
            filter = new TopicFilter(filter.raw(), filter.raw(), null, false); // a literal filter, as EMQX does
        } else if (filter.exclusive()) {
            SessionKey owner = exclusiveOwners.putIfAbsent(exclusiveKey(tenant, filter.filter()), session.key());
            if (owner != null && !owner.equals(session.key())) {
                return ReasonCode.TOPIC_FILTER_INVALID; // EMQX answers a taken exclusive filter with 0x8F
            }
        }
        return addSubscription(session, filter, options, existed);
    }

    private static String exclusiveKey(String tenant, String filter) {
        return tenant + '\u0000' + filter;
    }

    private int addSubscription(Session session, TopicFilter filter, SubscriptionOptions options, boolean[] existed) {
        int max = quotas.maxSubscriptions(session.key().tenant(), settings.maxSubscriptions);
        if (max > 0 && session.subscription(filter.raw()) == null && session.subscriptionCount() >= max) {
            if (max != settings.maxSubscriptions) {
                quotas.counted(session.key().tenant(), "max_subscriptions_per_client");
            }
            return ReasonCode.QUOTA_EXCEEDED;
        }
        Subscription s = new Subscription(session, filter.raw(), filter.filter(), filter.shareGroup(), options);
        Subscription old = session.putSubscription(s);
        index.add(session.key().tenant(), s);
        existed[0] = old != null;
        if (events.active()) {
            ClientInfo c = session.client();
            events.emit(l -> l.sessionSubscribed(c, filter.raw(), options));
        }
        return options.qos();
    }

    /** Removes a subscription; false when the session had none for this filter. */
    public boolean unsubscribe(Session session, String rawFilter) {
        Subscription old = session.removeSubscription(rawFilter);
        if (old == null) {
            return false;
        }
        index.remove(session.key().tenant(), old);
        releaseExclusive(session, old);
        if (events.active()) {
            ClientInfo c = session.client();
            events.emit(l -> l.sessionUnsubscribed(c, rawFilter));
        }
        return true;
    }

    /** The message's topic after the first matching publish rewrite rule. */
    public String rewritePublish(String topic) {
        for (RewriteRule r : settings.rewriteRules) {
            if (r.appliesToPublish() && TopicFilter.matches(r.sourceTopic(), topic)) {
                String out = r.rewrite(topic);
                if (out != null) {
                    return out;
                }
            }
        }
        return topic;
    }

    /** The filter after the first matching subscribe rewrite rule. */
    public String rewriteSubscribe(String filter) {
        for (RewriteRule r : settings.rewriteRules) {
            if (r.appliesToSubscribe() && (r.sourceTopic().equals(filter) || TopicFilter.matches(r.sourceTopic(), filter))) {
                String out = r.rewrite(filter);
                if (out != null) {
                    return out;
                }
            }
        }
        return filter;
    }

    // ---- publishing

    /**
     * Publishes a message (the caller keeps its reference): $delayed/ messages wait, retained
     * ones update the store, then the router hands a copy to every matching session.
     *
     * @return the number of sessions it went to (0 also for a delayed message)
     */
    private static final String SYS_PREFIX = "$SYS/";

    private final java.util.function.ToIntBiFunction<String, String> fanOutCounter = this::fanOut;

    /** {@link #fanOut} as a function made once, so a publish check allocates nothing for it. */
    public java.util.function.ToIntBiFunction<String, String> fanOutCounter() {
        return fanOutCounter;
    }

    /**
     * How many copies a publish on {@code topic} would make: matching subscriptions, one per shared
     * group (overlapping subscriptions of one session count once each here; routing merges them).
     */
    public int fanOut(String tenant, String topic) {
        int[] n = new int[1];
        index.match(tenant, topic, new io.aviary.broker.topic.MatchSink() {
            @Override
            public void direct(io.aviary.broker.topic.Subscription s) {
                n[0]++;
            }

            @Override
            public void shared(io.aviary.broker.topic.SharedGroup g) {
                n[0]++;
            }
        });
        return n[0];
    }

    public int publish(BrokerMessage m) {
        if (settings.delayedEnable && m.topic().startsWith(DelayedPublisher.PREFIX)) {
            return delayed.schedule(m);
        }
        // The broker's own $SYS messages are not client traffic: EMQX keeps them out of the message metrics too.
        boolean counted = !m.topic().startsWith(SYS_PREFIX);
        TenantCounters tc = counters.tenant(m.tenant());
        if (counted) {
            tc.received(m.qos());
            tc.bytesIn(m.topic().length() + m.payload().readableBytes());
        }
        if (m.isRetain() && settings.retainerEnable) {
            retain(m);
        }
        if (events.active()) {
            var api = m.toApi();
            events.emit(l -> l.messagePublish(m.publisher(), api));
        }
        int n = router.route(m);
        if (n == 0 && counted) {
            tc.dropped(DropReason.NO_SUBSCRIBERS);
            if (events.active()) {
                var api = m.toApi();
                events.emit(l -> l.messageDropped(api, DropReason.NO_SUBSCRIBERS));
            }
        }
        return n;
    }

    private void retain(BrokerMessage m) {
        if (m.payload().readableBytes() > settings.retainerMaxPayloadSize) {
            LOG.debug("retained message too large tenant={} topic={}", m.tenant(), m.topic());
            return;
        }
        retained.put(m);
    }

    @Override
    public void deliver(Session session, Delivery d) {
        if (d.qos() > 0 && session.backlogAtLeast(MIN_BACKPRESSURE_THRESHOLD) && backlogged(session, false)) {
            Tickets.backpressure(session); // the publisher stops reading until this queue drains (SessionHandler)
        }
        if (d.qos() > 0 && session.durable()) {
            Delivery stored = session.persist(d); // before it can be acknowledged anywhere
            if (stored == null) {
                Tickets.quotaExceeded();
                dropped(session, d.message(), DropReason.QUEUE_FULL);
                d.message().release();
                return;
            }
            d = stored;
        }
        Connection c = session.connection();
        if (c != null) {
            c.send(d);
            return;
        }
        int maxQueue = maxMqueueLen(session.key().tenant());
        int r = session.offerOffline(d, maxQueue, settings.mqueueStoreQos0);
        if (r == Session.ONLINE) {
            Connection now = session.connection();
            if (now != null) {
                now.send(d);
                return;
            }
            r = session.enqueue(d, maxQueue, settings.mqueueStoreQos0);
        }
        if (r == Session.ENDED) {
            redispatch(session, d); // the router chose this member just before its session ended
            return;
        }
        if (r == Session.DROPPED) {
            dropped(session, d.message(), d.qos() == 0 ? DropReason.QOS0_OFFLINE : DropReason.QUEUE_FULL);
            d.message().release();
        }
    }

    /** A delivery that was never queued or sent leaves the session: its durable record goes too. */
    public void forget(Session session, Delivery d) {
        if (d.seq() != 0) {
            session.forget(d);
        }
    }

    @Override
    public void dropped(Session session, BrokerMessage message, DropReason reason) {
        if (reason == DropReason.QUEUE_FULL) {
            long n = queueFullNotice.count();
            if (n > 0) {
                LOG.warn("delivery dropped, queue full: tenant={} client={} topic={} qos={} max_mqueue_len={} online={}"
                        + " ({} drop(s) on the node since the last notice)", session.key().tenant(),
                        session.key().clientId(), message.topic(), message.qos(), maxMqueueLen(session.key().tenant()),
                        session.connection() != null, n);
            }
        }
        counters.deliveryDropped(reason);
        counters.tenant(message.tenant()).dropped(reason);
        session.dropped.increment();
        if (events.active()) {
            ClientInfo c = session.client();
            var api = message.toApi();
            events.emit(l -> l.deliveryDropped(c, api, reason));
        }
    }

    /** Stops timers' work and releases retained and delayed messages. */
    public void shutdown() {
        UsageMeter meter = usage;
        if (meter != null) {
            meter.sample();
            meter.save();
        }
        delayed.clear();
        for (Session s : registry.all(null)) {
            if (s.durable()) {
                s.unload(); // its records stay for the next start
                continue;
            }
            for (Delivery d : s.end(store)) {
                d.message().release(); // nobody left to redispatch to
            }
        }
        retained.clear();
    }

    /** Delayed publish, for the admin API's read and delete (kept at the end to ease merges). */
    DelayedPublisher delayed() { return delayed; }
}
