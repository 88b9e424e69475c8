package io.aviary.broker.tenant;

import io.aviary.api.broker.Ban;
import io.aviary.api.broker.DelayedMessage;
import io.aviary.api.message.Message;
import io.aviary.broker.BrokerCore;
import io.aviary.broker.BrokerService;
import io.aviary.broker.banned.BanStore;
import io.aviary.broker.session.Connection;
import io.aviary.broker.session.Session;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.store.DurableStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What suspending and deleting a tenant do to the broker: disconnect its clients (0x98
 * Administrative action), and on delete also end its sessions and remove its retained and
 * delayed messages, bans and, in durable mode, every stored record under its prefix.
 */
public final class TenantHooks implements TenantRegistry.Hooks {
    private static final Logger LOG = LoggerFactory.getLogger(TenantHooks.class);

    private final BrokerCore core;
    private final BrokerService service;
    private final BanStore bans;

    public TenantHooks(BrokerCore core, BrokerService service, BanStore bans) {
        this.core = core;
        this.service = service;
        this.bans = bans;
    }

    @Override
    public void disconnectAll(String tenant, String reason) {
        int n = 0;
        for (Session s : core.registry().all(tenant)) {
            Connection c = s.connection();
            if (c != null) {
                c.disconnect(ReasonCode.ADMINISTRATIVE_ACTION, reason);
                n++;
            }
        }
        LOG.info("tenant={} {}: {} clients disconnected", tenant, reason, n);
    }

    @Override
    public void refused(String tenant, String quota) {
        core.quotas().counted(tenant, quota);
    }

    @Override
    public void ruleActionsRun(String tenant, long count) {
        core.counters().tenant(tenant).ruleActions.add(count);
    }

    @Override
    public void purge(String tenant) {
        int sessions = 0;
        for (Session s : List.copyOf(core.registry().all(tenant))) {
            if (service.kick(tenant, s.key().clientId())) {
                sessions++;
            }
        }
        List<Message> retained = service.retained(tenant);
        retained.forEach(m -> service.deleteRetained(tenant, m.topic()));
        List<DelayedMessage> delayed = service.delayed(tenant);
        delayed.forEach(d -> service.deleteDelayed(tenant, d.message().id()));
        List<Ban> tenantBans = bans.list(tenant);
        tenantBans.forEach(b -> bans.remove(tenant, b.as(), b.who()));
        DurableStore store = core.durableStore();
        if (store != null && store.durable()) {
            byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
            store.deletePrefix(Arrays.copyOf(t, t.length + 1)); // "tenant\0": every record key of the tenant
        }
        LOG.info("tenant={} purged: {} sessions, {} retained and {} delayed messages, {} bans", tenant, sessions,
                retained.size(), delayed.size(), tenantBans.size());
    }
}
