package io.aviary.broker.tenant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.api.tenant.Tenant;
import io.aviary.api.tenant.TenantState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Tenants survive a restart, are validated field by field, and expire into suspension. */
public class TenantRegistryTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> events = new ArrayList<>();

    private TenantRegistry open(Path file) {
        TenantRegistry r = new TenantRegistry(file, now::get);
        r.hooks(new TenantRegistry.Hooks() {
            @Override
            public void disconnectAll(String tenant, String reason) {
                events.add("disconnect " + tenant);
            }

            @Override
            public void purge(String tenant) {
                events.add("purge " + tenant);
            }
        });
        return r;
    }

    private static Tenant tenant(String id, long expiresAt) {
        return new Tenant(id, "Acme Inc", TenantState.ACTIVE, List.of("Mqtt.Acme.Test"),
                Map.of("max_connections", 100L), 0, expiresAt);
    }

    @Test
    public void tenantsSurviveARestartAndDefaultAlwaysExists() {
        Path file = tmp.getRoot().toPath().resolve("data/tenants.json");
        TenantRegistry first = open(file);
        first.create(tenant("acme", 0));
        Tenant again = open(file).find("acme");
        assertEquals("Acme Inc", again.name());
        assertEquals(List.of("mqtt.acme.test"), again.hosts());
        assertEquals(100L, again.quota("max_connections"));
        assertTrue(open(file).find("default").active());
    }

    @Test
    public void badFieldsAreRefusedByName() {
        TenantRegistry r = open(null);
        assertMessage("'id'", () -> r.create(tenant("Bad Id", 0)));
        assertMessage("'quotas.max_cats'", () -> r.create(new Tenant("a", "a", TenantState.ACTIVE, List.of(),
                Map.of("max_cats", 1L), 0, 0)));
        assertMessage("'quotas.max_connections'", () -> r.create(new Tenant("a", "a", TenantState.ACTIVE, List.of(),
                Map.of("max_connections", -1L), 0, 0)));
        assertMessage("'hosts'", () -> r.create(new Tenant("a", "a", TenantState.ACTIVE, List.of("not a host"),
                Map.of(), 0, 0)));
        r.create(tenant("acme", 0));
        assertMessage("belongs to another tenant", () -> r.create(new Tenant("b", "b", TenantState.ACTIVE,
                List.of("mqtt.acme.test"), Map.of(), 0, 0)));
        assertThrows(IllegalStateException.class, () -> r.create(tenant("acme", 0)));
        assertMessage("cannot be deleted", () -> r.delete("default"));
    }

    @Test
    public void anExpiredTrialIsSuspendedAndItsClientsDisconnected() {
        TenantRegistry r = open(null);
        r.create(tenant("trial", now.get() + 7 * 86_400_000L));
        assertEquals(0, r.suspendExpired());
        now.addAndGet(7 * 86_400_000L);
        assertEquals(1, r.suspendExpired());
        assertFalse(r.find("trial").active());
        assertEquals(List.of("disconnect trial"), events);
    }

    @Test
    public void deletingPurgesAndAnUnreadableFileStopsTheStart() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("tenants.json");
        TenantRegistry r = open(file);
        r.create(tenant("gone", 0));
        assertTrue(r.delete("gone"));
        assertFalse(r.delete("gone"));
        assertEquals(List.of("purge gone"), events);
        Files.writeString(file, "{not json");
        assertMessage("move it away", () -> open(file));
    }

    private static void assertMessage(String part, org.junit.function.ThrowingRunnable r) {
        RuntimeException e = assertThrows(RuntimeException.class, r);
        assertTrue(e.getMessage(), e.getMessage().contains(part));
    }
}
