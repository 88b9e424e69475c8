package io.aviary.broker.banned;

import io.aviary.api.broker.Ban;
import io.aviary.api.broker.BanList;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.transport.TrustedProxies;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The broker's ban list, in memory. A CONNECT asks {@link #reasonIfBanned} once; lookups by
 * client id, username and address are hash lookups, CIDR blocks (few, in practice) a scan.
 * Expired entries are dropped when met.
 */
public final class BanStore implements BanList {

    private final Map<Key, Ban> entries = new ConcurrentHashMap<>();
    private final Map<Key, TrustedProxies.Cidr> blocks = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public BanStore() {
        this(System::currentTimeMillis);
    }

    public BanStore(LongSupplier clock) {
        this.clock = clock;
    }

    private record Key(Ban.As as, String who) {
    }

    @Override
    public Ban add(Ban ban) {
        Key key = new Key(ban.as(), ban.who());
        if (ban.as() == Ban.As.PEERHOST_NET) {
            blocks.put(key, TrustedProxies.Cidr.parse(ban.who())); // throws on a malformed block
        }
        entries.put(key, ban);
        return ban;
    }

    @Override
    public boolean remove(Ban.As as, String who) {
        Key key = new Key(as, who);
        blocks.remove(key);
        return entries.remove(key) != null;
    }

    @Override
    public List<Ban> list() {
        long now = clock.getAsLong();
        List<Ban> out = new ArrayList<>();
        for (Ban b : entries.values()) {
            if (b.until() > now) {
                out.add(b);
            }
        }
        return out;
    }

    /** Why this client may not connect, or null when it may. */
    public String reasonIfBanned(ClientInfo client) {
        if (entries.isEmpty()) {
            return null;
        }
        Ban hit = live(Ban.As.CLIENTID, client.clientId());
        if (hit == null && client.username() != null) {
            hit = live(Ban.As.USERNAME, client.username());
        }
        if (hit == null && !client.peerHost().isEmpty()) {
            hit = live(Ban.As.PEERHOST, client.peerHost());
        }
        if (hit == null && !blocks.isEmpty() && client.peerAddress() != null) {
            InetAddress address = client.peerAddress().getAddress();
            for (Map.Entry<Key, TrustedProxies.Cidr> e : blocks.entrySet()) {
                if (e.getValue().contains(address)) {
                    hit = live(e.getKey().as(), e.getKey().who());
                    if (hit != null) {
                        break;
                    }
                }
            }
        }
        return hit == null ? null : "banned as " + hit.as().name().toLowerCase() + " " + hit.who()
                + (hit.reason().isEmpty() ? "" : ": " + hit.reason());
    }

    private Ban live(Ban.As as, String who) {
        Ban b = entries.get(new Key(as, who));
        if (b != null && b.until() <= clock.getAsLong()) {
            remove(as, who);
            return null;
        }
        return b;
    }
}
