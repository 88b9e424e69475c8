package io.aviary.broker;

import io.aviary.api.broker.BanList;
import io.aviary.api.broker.Listeners;
import io.aviary.broker.banned.ClientGate;
import io.aviary.broker.tenant.TenantHooks;
import io.aviary.broker.tenant.TenantRegistry;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.events.EventDispatcher;
import io.aviary.broker.transport.MqttServer;
import io.aviary.store.DurableStore;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A running broker: event loops, core state and bound listeners, started and stopped as one.
 * The DS component wraps it for OSGi; tests construct it directly on port 0.
 */
public final class MqttBroker implements AutoCloseable {

    private final MqttServer server;
    private final BrokerCore core;
    private final BrokerService service;
    private final ClientGate gate;

    public MqttBroker(BrokerSettings settings, EventDispatcher events, int workerThreads) {
        this(settings, events, workerThreads, null, BrokerCore.Durability.MEMORY);
    }

    /** With a durable store: persistent sessions, retained and delayed messages are read back before listeners open. */
    public MqttBroker(BrokerSettings settings, EventDispatcher events, int workerThreads, DurableStore store,
                      BrokerCore.Durability durability) {
        this.server = new MqttServer(workerThreads, true);
        this.core = new BrokerCore(settings, events, server.workers(), store, durability);
        this.service = new BrokerService(core);
        this.gate = ClientGate.of(settings, store, core.takeRestoredBans());
        server.gate(gate);
        core.tenants().hooks(new TenantHooks(core, service, gate.bans()));
    }

    /** Registers every listener and binds the enabled ones; throws if one cannot be bound (after releasing what was started). */
    public MqttBroker start(List<ListenerSpec> listeners) throws InterruptedException {
        try {
            for (ListenerSpec spec : listeners) {
                if (!spec.tenant().isEmpty()) {
                    core.tenants().ensure(spec.tenant(), "listener " + spec.id());
                }
                server.bind(core, spec);
            }
            return this;
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    public BrokerCore core() {
        return core;
    }

    public BrokerService service() {
        return service;
    }

    /** The listeners, for the admin API (start, stop, restart at run time). */
    public Listeners listeners() {
        return server;
    }

    /** The bound address of a running listener ("ws:default"), or null. */
    public InetSocketAddress address(String listenerId) {
        return server.address(listenerId);
    }

    /**
     * Replaces the tenant registry (before {@link #start}): {@code registry} persists to a file,
     * and devices resolve to tenants as TenantResolver says.
     */
    public void useTenants(TenantRegistry registry, String sniDomain, boolean usernameSuffix, boolean defaultEnabled) {
        registry.hooks(new TenantHooks(core, service, gate.bans()));
        core.useTenants(registry, sniDomain, usernameSuffix, defaultEnabled);
    }

    public TenantRegistry tenants() {
        return core.tenants();
    }

    public BanList bans() {
        return gate.bans();
    }

    public List<InetSocketAddress> addresses() {
        return server.addresses();
    }

    /** The port of the first listener (tests bind one listener on port 0). */
    public int port() {
        return server.addresses().get(0).getPort();
    }

    @Override
    public void close() {
        server.close();
        core.shutdown();
    }
}
