package io.aviary.broker.banned;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.api.broker.Ban;
import io.aviary.api.client.ClientInfo;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** What each kind of ban refuses, in its own tenant only, until it expires. */
public class BanStoreTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final BanStore bans = new BanStore(now::get);

    private static ClientInfo client(String tenant, String clientId, String username, String ip) {
        return new ClientInfo(tenant, clientId, username, new InetSocketAddress(ip, 40000), "mqtt", 5, "tcp:default",
                null, null, null);
    }

    private Ban ban(Ban.As as, String who) {
        return new Ban("default", as, who, "test", "because", now.get(), now.get() + 60_000);
    }

    @Test
    public void exactKindsMatchTheirOwnFieldOnly() {
        bans.add(ban(Ban.As.CLIENTID, "dev-1"));
        bans.add(ban(Ban.As.USERNAME, "mallory"));
        bans.add(ban(Ban.As.PEERHOST, "10.0.0.9"));
        assertNotNull(bans.reasonIfBanned(client("default", "dev-1", null, "127.0.0.1")));
        assertNotNull(bans.reasonIfBanned(client("default", "x", "mallory", "127.0.0.1")));
        assertNotNull(bans.reasonIfBanned(client("default", "x", null, "10.0.0.9")));
        assertNull(bans.reasonIfBanned(client("default", "mallory", "dev-1", "10.0.0.8")));
    }

    @Test
    public void cidrAndRegexBansMatchEveryClientInsideThem() {
        bans.add(ban(Ban.As.PEERHOST_NET, "192.168.0.0/16"));
        bans.add(ban(Ban.As.CLIENTID_RE, "^rogue-\\d+$"));
        bans.add(ban(Ban.As.USERNAME_RE, "spam"));
        assertNotNull(bans.reasonIfBanned(client("default", "a", null, "192.168.44.1")));
        assertTrue(bans.reasonIfBanned(client("default", "rogue-12", null, "127.0.0.1")).contains("clientid_re"));
        assertNotNull("found anywhere, as EMQX's re:run", bans.reasonIfBanned(client("default", "b", "a-spam-bot",
                "127.0.0.1")));
        assertNull(bans.reasonIfBanned(client("default", "rogue-x", "ham", "127.0.0.1")));
    }

    @Test
    public void aBanRefusesOnlyItsOwnTenant() {
        bans.add(new Ban("acme", Ban.As.CLIENTID_RE, "^dev", "t", "", now.get(), now.get() + 60_000));
        assertNotNull(bans.reasonIfBanned(client("acme", "dev-1", null, "127.0.0.1")));
        assertNull(bans.reasonIfBanned(client("default", "dev-1", null, "127.0.0.1")));
    }

    @Test
    public void anExpiredBanNoLongerRefusesAndLeavesTheList() {
        bans.add(ban(Ban.As.CLIENTID_RE, "dev"));
        now.addAndGet(60_001);
        assertNull(bans.reasonIfBanned(client("default", "dev-1", null, "127.0.0.1")));
        assertEquals(0, bans.list().size());
    }

    @Test
    public void aBadExpressionOrBlockIsRefusedAndNothingIsAdded() {
        assertThrows(IllegalArgumentException.class, () -> bans.add(ban(Ban.As.CLIENTID_RE, "(unclosed")));
        assertThrows(IllegalArgumentException.class, () -> bans.add(ban(Ban.As.PEERHOST_NET, "10.0.0.0/40")));
        assertEquals(0, bans.list().size());
    }
}
