package io.aviary.broker.banned;

import io.aviary.api.broker.Ban;
import io.aviary.api.broker.BanList;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.session.StoreRecords;
import io.aviary.broker.transport.TrustedProxies;
import io.aviary.store.DurableStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's ban list: in memory, each entry in one tenant, and written through to the
 * durable store in durable mode (key tenant 0 'b' 0 kind 0 who) so bans survive a restart.
 * A CONNECT asks {@link #reasonIfBanned} once; lookups by client id, username and address are
 * hash lookups, CIDR blocks (few, in practice) a scan. Expired entries are dropped when met
 * and when loaded.
 */
public final class BanStore implements BanList {
    private static final Logger LOG = LoggerFactory.getLogger(BanStore.class);
    private static final int VERSION = 1;

    private final Map<Key, Ban> entries = new ConcurrentHashMap<>();
    private final Map<Key, TrustedProxies.Cidr> blocks = new ConcurrentHashMap<>();
    private final Map<Key, Pattern> patterns = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    /** Where bans are persisted, or null in memory mode. */
    private final DurableStore store;

    public BanStore() {
        this(System::currentTimeMillis);
    }

    public BanStore(LongSupplier clock) {
        this(clock, null);
    }

    /** With a store that is durable: the bans it holds are loaded now, and every change is written to it. */
    public BanStore(LongSupplier clock, DurableStore store) {
        this(clock, store, null);
    }

    /** {@code records}: the store's ban records when a scan already read them; null to scan for them here. */
    public BanStore(LongSupplier clock, DurableStore store, List<Map.Entry<byte[], byte[]>> records) {
        this.clock = clock;
        this.store = store != null && store.durable() ? store : null;
        if (this.store != null) {
            if (records != null) {
                load(records);
            } else {
                List<Map.Entry<byte[], byte[]>> found = new ArrayList<>();
                this.store.scan(new byte[0], (k, v) -> {
                    StoreRecords.Key parsed = StoreRecords.parse(k);
                    if (parsed != null && parsed.type() == StoreRecords.BANNED) {
                        found.add(Map.entry(k, v));
                    }
                });
                load(found);
            }
        }
    }

    private record Key(String tenant, Ban.As as, String who) {
    }

    @Override
    public Ban add(Ban ban) {
        Key key = new Key(ban.tenant(), ban.as(), ban.who());
        index(key); // throws on a malformed block or expression, before anything changed
        entries.put(key, ban);
        if (store != null) {
            store.put(recordKey(key), value(ban));
        }
        return ban;
    }

    @Override
    public boolean remove(String tenant, Ban.As as, String who) {
        Key key = new Key(tenant == null || tenant.isEmpty() ? Ban.DEFAULT_TENANT : tenant, as, who);
        blocks.remove(key);
        patterns.remove(key);
        boolean had = entries.remove(key) != null;
        if (had && store != null) {
            store.delete(recordKey(key));
        }
        return had;
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

    /** Why this client may not connect, or null when it may. Only bans of the client's tenant count. */
    public String reasonIfBanned(ClientInfo client) {
        if (entries.isEmpty()) {
            return null;
        }
        String tenant = client.tenant() == null ? Ban.DEFAULT_TENANT : client.tenant();
        Ban hit = live(new Key(tenant, Ban.As.CLIENTID, client.clientId()));
        if (hit == null && client.username() != null) {
            hit = live(new Key(tenant, Ban.As.USERNAME, client.username()));
        }
        if (hit == null && !client.peerHost().isEmpty()) {
            hit = live(new Key(tenant, Ban.As.PEERHOST, client.peerHost()));
        }
        if (hit == null && !blocks.isEmpty() && client.peerAddress() != null) {
            InetAddress address = client.peerAddress().getAddress();
            for (Map.Entry<Key, TrustedProxies.Cidr> e : blocks.entrySet()) {
                if (e.getKey().tenant().equals(tenant) && e.getValue().contains(address)) {
                    hit = live(e.getKey());
                    if (hit != null) {
                        break;
                    }
                }
            }
        }
        if (hit == null && !patterns.isEmpty()) {
            hit = patternHit(tenant, client);
        }
        return hit == null ? null : "banned as " + hit.as().name().toLowerCase() + " " + hit.who()
                + (hit.reason().isEmpty() ? "" : ": " + hit.reason());
    }

    /** Regex bans are few in practice: a scan, found anywhere in the id (as EMQX's re:run). */
    private Ban patternHit(String tenant, ClientInfo client) {
        for (Map.Entry<Key, Pattern> e : patterns.entrySet()) {
            Key key = e.getKey();
            String subject = key.as() == Ban.As.CLIENTID_RE ? client.clientId() : client.username();
            if (key.tenant().equals(tenant) && subject != null && e.getValue().matcher(subject).find()) {
                Ban hit = live(key);
                if (hit != null) {
                    return hit;
                }
            }
        }
        return null;
    }

    /** Keeps the parsed form of a CIDR block or expression; throws IllegalArgumentException on a bad one. */
    private void index(Key key) {
        if (key.as() == Ban.As.PEERHOST_NET) {
            blocks.put(key, TrustedProxies.Cidr.parse(key.who()));
        } else if (key.as() == Ban.As.CLIENTID_RE || key.as() == Ban.As.USERNAME_RE) {
            try {
                patterns.put(key, Pattern.compile(key.who()));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("not a regular expression: " + e.getDescription(), e);
            }
        }
    }

    private Ban live(Key key) {
        Ban b = entries.get(key);
        if (b != null && b.until() <= clock.getAsLong()) {
            remove(key.tenant(), key.as(), key.who());
            return null;
        }
        return b;
    }

    // ---- persistence

    /** Takes in the stored bans (once, at start); expired or unreadable ones are deleted instead. */
    private void load(List<Map.Entry<byte[], byte[]>> records) {
        long now = clock.getAsLong();
        int restored = 0;
        int dropped = 0;
        for (Map.Entry<byte[], byte[]> record : records) {
            StoreRecords.Key parsed = StoreRecords.parse(record.getKey());
            Ban ban = parsed == null ? null : ban(parsed.tenant(), parsed.name(), parsed.restString(), record.getValue());
            if (ban == null || ban.until() <= now) {
                store.delete(record.getKey());
                dropped++;
                continue;
            }
            Key key = new Key(ban.tenant(), ban.as(), ban.who());
            index(key);
            entries.put(key, ban);
            restored++;
        }
        LOG.info("ban list: {} bans restored, {} expired ones dropped", restored, dropped);
    }

    private static byte[] recordKey(Key key) {
        byte[] prefix = StoreRecords.prefix(key.tenant(), StoreRecords.BANNED, key.as().name(), true);
        return StoreRecords.withString(prefix, key.who());
    }

    private static byte[] value(Ban b) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(b.by());
            out.writeUTF(b.reason());
            out.writeLong(b.at());
            out.writeLong(b.until());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A stored ban, or null when its record cannot be read (it is then deleted). */
    private static Ban ban(String tenant, String as, String who, byte[] v) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(v))) {
            if (in.readByte() != VERSION) {
                return null;
            }
            return new Ban(tenant, Ban.As.valueOf(as), who, in.readUTF(), in.readUTF(), in.readLong(), in.readLong());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("tenant={} ban list: unreadable ban record for {} {} dropped", tenant, as, who);
            return null;
        }
    }
}
