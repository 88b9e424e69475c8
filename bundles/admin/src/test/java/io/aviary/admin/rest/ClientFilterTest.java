package io.aviary.admin.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.admin.error.ApiException;
import io.aviary.api.broker.ClientSnapshot;
import io.aviary.api.client.ClientInfo;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.Test;

/** EMQX's /clients filters: each one selects what it names, and a bad value names its parameter. */
public class ClientFilterTest {

    private static final long T0 = 1_700_000_000_000L;
    private final ClientSnapshot sensor = snapshot("sensor-1", "alice", "10.0.0.7", 5, true, true, T0);
    private final ClientSnapshot gateway = snapshot("gw-2", "bob", "10.0.0.8", 4, false, false, T0 + 60_000);

    @Test
    public void eachFilterSelectsWhatItNames() {
        assertOnlySensor("username", "alice");
        assertOnlySensor("ip_address", "10.0.0.7");
        assertOnlySensor("conn_state", "connected");
        assertOnlySensor("clean_start", "true");
        assertOnlySensor("proto_ver", "5");
        assertOnlySensor("like_clientid", "sens");
        assertOnlySensor("like_username", "lic");
        assertOnlySensor("lte_created_at", String.valueOf(T0));
        assertOnlySensor("lte_connected_at", "2023-11-14T22:13:20Z");
        Predicate<ClientSnapshot> later = filter("gte_connected_at", "2023-11-14T22:13:21+00:00");
        assertFalse(later.test(sensor));
        assertTrue(later.test(gateway));
    }

    @Test
    public void badValuesNameTheirParameter() {
        for (String[] bad : new String[][] {{"conn_state", "maybe"}, {"clean_start", "1"}, {"proto_ver", "6"},
            {"gte_created_at", "yesterday"}, {"lte_connected_at", "2023-13-01T00:00:00Z"}}) {
            try {
                filter(bad[0], bad[1]);
                fail(bad[0] + "=" + bad[1] + " accepted");
            } catch (ApiException e) {
                assertEquals(400, e.status());
                assertTrue(e.getMessage(), e.getMessage().contains("'" + bad[0] + "'"));
            }
        }
    }

    private void assertOnlySensor(String param, String value) {
        Predicate<ClientSnapshot> p = filter(param, value);
        assertTrue(param, p.test(sensor));
        assertFalse(param, p.test(gateway));
    }

    private static Predicate<ClientSnapshot> filter(String param, String value) {
        MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
        query.putSingle(param, value);
        return ClientFilter.parse(query);
    }

    private static ClientSnapshot snapshot(String id, String user, String ip, int version, boolean connected,
                                           boolean clean, long at) {
        ClientInfo info = new ClientInfo(ClientInfo.DEFAULT_TENANT, id, user, new InetSocketAddress(ip, 40_000),
                "mqtt", version, "tcp:default", null, null, Map.of());
        return new ClientSnapshot(info, connected, clean, 60, 0, at, at, connected ? 0 : at + 1, 0, 0, 32, 0, 0, 0);
    }
}
