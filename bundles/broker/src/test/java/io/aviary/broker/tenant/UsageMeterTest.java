package io.aviary.broker.tenant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.client.ClientInfo;
import io.aviary.api.tenant.UsageHour;
import io.aviary.broker.session.InMemorySessionState;
import io.aviary.broker.session.LocalSessionRegistry;
import io.aviary.broker.session.Session;
import io.aviary.broker.session.SessionKey;
import io.aviary.broker.util.Counters;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Session-minutes and bytes land in the right tenant's right hour, and survive a restart. */
public class UsageMeterTest {

    private static final long HOUR = 3_600_000L;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private final AtomicLong now = new AtomicLong(1_000 * HOUR); // on an hour boundary
    private final LocalSessionRegistry sessions = new LocalSessionRegistry();
    private final Counters counters = new Counters();

    private UsageMeter meter(Path file) {
        return new UsageMeter(() -> List.of("a", "b"), sessions, counters, now::get, file);
    }

    private void session(String tenant, String id) {
        SessionKey key = new SessionKey(tenant, id);
        Session s = new Session(new InMemorySessionState(key, 0),
                new ClientInfo(tenant, id, null, null, "mqtt", 5, "tcp:default", null, null, null));
        sessions.compute(key, (k, old) -> s);
    }

    @Test
    public void sessionMinutesAndBytesAreMeteredPerTenantPerHour() {
        Path file = tmp.getRoot().toPath().resolve("usage.json");
        UsageMeter meter = meter(file);
        session("a", "1");
        session("a", "2");
        counters.tenant("a").bytesIn(100);
        counters.tenant("a").bytesOut(300);
        now.addAndGet(30 * 60_000L);
        meter.sample(); // 2 sessions x 30 minutes in the first hour
        now.addAndGet(60 * 60_000L); // into the next hour: this sample's 60 minutes count there
        counters.tenant("a").bytesIn(50);
        List<UsageHour> a = meter.usage("a", 1_000 * HOUR, now.get());
        assertEquals(2, a.size());
        assertEquals(60.0, a.get(0).sessionMinutes(), 1e-9);
        assertEquals(100, a.get(0).bytesIn());
        assertEquals(300, a.get(0).bytesOut());
        assertEquals(1_001 * HOUR, a.get(1).hourStart());
        assertEquals(120.0, a.get(1).sessionMinutes(), 1e-9);
        assertEquals(50, a.get(1).bytesIn());
        assertTrue("tenant b used nothing", meter.usage("b", 0, now.get()).isEmpty());

        UsageMeter restarted = meter(file); // the hour that closed was written
        assertEquals(60.0, restarted.usage("a", 1_000 * HOUR, 1_000 * HOUR).get(0).sessionMinutes(), 1e-9);
    }
}
