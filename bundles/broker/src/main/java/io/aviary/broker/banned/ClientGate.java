package io.aviary.broker.banned;

import io.aviary.api.client.ClientInfo;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.store.DurableStore;
import java.util.List;
import java.util.Map;

/**
 * What the CONNECT stage asks before admitting a client (the ban list) and tells after a
 * connection of an admitted client ends or a CONNECT is refused for its credentials
 * (flapping detection). One per broker.
 */
public final class ClientGate {
    private final BanStore bans;
    private final FlappingDetector flapping;

    public ClientGate(BanStore bans, FlappingDetector flapping) {
        this.bans = bans;
        this.flapping = flapping;
    }

    public static ClientGate of(BrokerSettings settings) {
        return of(settings, null);
    }

    /** With a durable store (may be null, or in memory mode): bans are persisted there. */
    public static ClientGate of(BrokerSettings settings, DurableStore store) {
        return of(settings, store, null);
    }

    /** {@code records}: the ban records the broker's start-up scan already read (null: scan the store for them). */
    public static ClientGate of(BrokerSettings settings, DurableStore store, List<Map.Entry<byte[], byte[]>> records) {
        BanStore bans = new BanStore(System::currentTimeMillis, store, records);
        return new ClientGate(bans, settings.flappingEnable ? new FlappingDetector(bans, settings.flappingMaxCount,
                settings.flappingWindowMs, settings.flappingBanMs, System::currentTimeMillis) : null);
    }

    public static ClientGate open() {
        return new ClientGate(new BanStore(), null);
    }

    public BanStore bans() {
        return bans;
    }

    /** Why this client may not connect, or null. */
    public String refusal(ClientInfo client) {
        return bans.reasonIfBanned(client);
    }

    /**
     * A CONNECT was refused after the client was known (authentication failed): it counts
     * towards flapping like a disconnect, so a client retrying bad credentials in a loop gets
     * banned too. EMQX counts only disconnects of connected clients; see configuration.md.
     */
    public void refused(ClientInfo client) {
        disconnected(client);
    }

    /** A connection of an admitted client ended. */
    public void disconnected(ClientInfo client) {
        if (flapping != null) {
            flapping.disconnected(client.tenant(), client.clientId());
        }
    }
}
